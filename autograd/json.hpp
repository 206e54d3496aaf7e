// A small JSON reader and string quoting, just enough for safetensors headers. Internal: not
// installed, not part of the API.
//
// The reader is strict (RFC 8259): one value spanning the whole text, no trailing commas, no
// control characters or invalid UTF-8 in strings, duplicate object keys refused, nesting at most
// 64 deep so a hostile header cannot exhaust the stack. Numbers keep their literal text; the
// caller converts them (safetensors needs only non-negative integers).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tg::json {

struct Value {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  std::string text;                                    // String: decoded; Number: as written
  std::vector<Value> items;                            // Array
  std::vector<std::pair<std::string, Value>> members;  // Object, in the order written
};

const char* kind_name(Value::Kind k);  // "an object", "a string", ... for messages

// Throws tg::Error("<context>: invalid JSON header: <problem> at byte <k>").
Value parse(std::string_view text, const std::string& context);

// The value of a Number literal that is a plain non-negative integer below 2^63, else nullopt.
std::optional<int64_t> to_index(const Value& v);

// `s` as a JSON string literal: quotes, backslash escapes, \u00XX for control characters.
std::string quote(std::string_view s);

}  // namespace tg::json
