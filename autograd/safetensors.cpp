// safetensors reading and writing (see safetensors.hpp for the format and the checks).
#include "safetensors.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <set>

#include "functions.hpp"
#include "json.hpp"

namespace tg::safetensors {

// The buffer holds little-endian values and tapegrad copies them byte for byte.
static_assert(std::endian::native == std::endian::little, "safetensors I/O assumes little-endian");

namespace {

// The reference implementation refuses headers above 100 MB; so does tapegrad, which also
// keeps a corrupt length from allocating gigabytes.
constexpr uint64_t kMaxHeader = 100'000'000;
constexpr char kMetadataKey[] = "__metadata__";

const char* dtype_code(ScalarType t) {
  switch (t) {
    case kFloat:
      return "F32";
    case kDouble:
      return "F64";
    case kLong:
      return "I64";
    case kBool:
      return "BOOL";
    case kByte:
      return "U8";
    case kChar:
      return "I8";
    case kShort:
      return "I16";
    case kInt:
      return "I32";
  }
  return "?";
}

std::optional<ScalarType> dtype_of_code(const std::string& code) {
  for (ScalarType t : {kFloat, kDouble, kLong, kBool, kByte, kChar, kShort, kInt})
    if (code == dtype_code(t)) return t;
  return std::nullopt;
}

// One header entry, checked against the buffer before any byte is copied.
struct Entry {
  std::string name;
  ScalarType dtype;
  std::vector<int64_t> shape;
  int64_t begin, end;
};

Entry parse_entry(const std::string& ctx, const std::string& name, const json::Value& info,
                  uint64_t buffer_size) {
  auto bad = [&](const std::string& what) -> Error {
    return Error(ctx + ": tensor " + json::quote(name) + ": " + what);
  };
  if (info.kind != json::Value::Kind::Object)
    throw bad(std::string("expected an object, got ") + json::kind_name(info.kind));
  const json::Value *dtype = nullptr, *shape = nullptr, *offsets = nullptr;
  for (const auto& [key, v] : info.members) {
    if (key == "dtype")
      dtype = &v;
    else if (key == "shape")
      shape = &v;
    else if (key == "data_offsets")
      offsets = &v;
    else
      throw bad("unknown field " + json::quote(key));
  }
  if (!dtype || !shape || !offsets) throw bad("needs the fields dtype, shape and data_offsets");
  if (dtype->kind != json::Value::Kind::String) throw bad("dtype must be a string");
  auto t = dtype_of_code(dtype->text);
  if (!t)
    throw bad("unsupported dtype " + json::quote(dtype->text) +
              " (tapegrad reads F32, F64, I64, BOOL)");
  Entry e{name, *t, {}, 0, 0};
  if (shape->kind != json::Value::Kind::Array) throw bad("shape must be an array");
  if (shape->items.size() > size_t(Shape::kMaxDims))
    throw bad("has " + std::to_string(shape->items.size()) + " dimensions, tapegrad supports " +
              std::to_string(Shape::kMaxDims));
  // numel * element size, remembering an overflow (a huge shape) instead of wrapping around.
  uint64_t nbytes = element_size(*t);
  bool overflow = false, has_zero = false;
  for (const auto& d : shape->items) {
    auto n = json::to_index(d);
    if (!n) throw bad("shape entries must be non-negative integers");
    e.shape.push_back(*n);
    overflow = __builtin_mul_overflow(nbytes, uint64_t(*n), &nbytes) || overflow;
    has_zero = has_zero || *n == 0;
  }
  if (has_zero) nbytes = 0, overflow = false;  // a zero dimension makes any product empty
  if (offsets->kind != json::Value::Kind::Array || offsets->items.size() != 2)
    throw bad("data_offsets must be an array [begin, end]");
  auto b = json::to_index(offsets->items[0]), en = json::to_index(offsets->items[1]);
  if (!b || !en) throw bad("data_offsets must be non-negative integers");
  e.begin = *b;
  e.end = *en;
  std::string range =
      "data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) + "]";
  if (e.begin > e.end) throw bad(range + " end before begin");
  if (uint64_t(e.end) > buffer_size)
    throw bad(range + " beyond the data buffer of " + std::to_string(buffer_size) + " bytes");
  if (overflow || uint64_t(e.end - e.begin) != nbytes)
    throw bad(range + " hold " + std::to_string(e.end - e.begin) + " bytes but dtype " +
              dtype->text + " and shape " + to_string(IntArrayRef(e.shape)) + " need " +
              (overflow ? std::string("more than 2^64") : std::to_string(nbytes)));
  return e;
}

void read_metadata(const std::string& ctx, const json::Value& v,
                   std::map<std::string, std::string>* out) {
  if (v.kind != json::Value::Kind::Object)
    throw Error(ctx + ": __metadata__ must be an object of strings");
  for (const auto& [key, value] : v.members) {
    if (value.kind != json::Value::Kind::String)
      throw Error(ctx + ": __metadata__ value of " + json::quote(key) + " must be a string, got " +
                  json::kind_name(value.kind));
    if (out) (*out)[key] = value.text;
  }
}

// The reference implementation accepts only tensors that tile the buffer exactly: sorted by
// offset, each begins where the previous ended and the last ends at the end of the file.
void check_layout(const std::string& ctx, std::vector<const Entry*> order, uint64_t buffer_size) {
  std::sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  int64_t pos = 0;
  const Entry* prev = nullptr;
  for (const Entry* e : order) {
    if (e->begin < pos)
      throw Error(ctx + ": tensors " + json::quote(prev->name) + " and " + json::quote(e->name) +
                  " overlap (byte " + std::to_string(e->begin) + ")");
    if (e->begin > pos)
      throw Error(ctx + ": " + std::to_string(e->begin - pos) + " unused bytes before tensor " +
                  json::quote(e->name) + " at byte " + std::to_string(pos));
    pos = e->end;
    prev = e;
  }
  if (uint64_t(pos) != buffer_size)
    throw Error(ctx + ": data buffer has " + std::to_string(buffer_size) +
                " bytes but the tensors use " + std::to_string(pos));
}

}  // namespace

void save_file(const NamedTensors& tensors, const std::string& path) {
  save_file(tensors, path, std::map<std::string, std::string>());
}

void save_file(const NamedTensors& tensors, const std::string& path,
               const std::map<std::string, std::string>& metadata) {
  const std::string ctx = "safetensors::save_file: '" + path + "'";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(ctx + ": cannot open for writing");
  write(tensors, out, metadata, ctx);
}

void write(const NamedTensors& tensors, std::ostream& out,
           const std::map<std::string, std::string>& metadata, const std::string& ctx) {
  std::set<std::string> names;
  std::string header = "{";
  if (!metadata.empty()) {
    header += json::quote(kMetadataKey) + ":{";
    bool first = true;
    for (const auto& [k, v] : metadata) {
      header += (first ? "" : ",") + json::quote(k) + ":" + json::quote(v);
      first = false;
    }
    header += "}";
  }
  uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    if (name.empty() || name == kMetadataKey)
      throw Error(ctx + ": invalid tensor name " + json::quote(name));
    if (!names.insert(name).second)
      throw Error(ctx + ": duplicate tensor name " + json::quote(name));
    if (!t.defined()) throw Error(ctx + ": tensor " + json::quote(name) + " is undefined");
    uint64_t nbytes = uint64_t(t.numel()) * t.element_size();
    if (header.size() > 1) header += ",";
    header += json::quote(name) + ":{\"dtype\":\"" + dtype_code(t.scalar_type()) + "\",\"shape\":[";
    for (size_t d = 0; d < size_t(t.dim()); ++d)
      header += (d ? "," : "") + std::to_string(t.size(int64_t(d)));
    header += "],\"data_offsets\":[" + std::to_string(offset) + "," +
              std::to_string(offset + nbytes) + "]}";
    offset += nbytes;
  }
  header += "}";
  header.append((8 - (header.size() % 8)) % 8, ' ');

  uint64_t n = header.size();
  out.write(reinterpret_cast<const char*>(&n), 8);
  out.write(header.data(), std::streamsize(header.size()));
  for (const auto& [name, t] : tensors)
    out.write(static_cast<const char*>(t.raw_data()),
              std::streamsize(uint64_t(t.numel()) * t.element_size()));
  out.flush();
  if (!out) throw Error(ctx + ": write failed");
}

NamedTensors load_file(const std::string& path, std::map<std::string, std::string>* metadata) {
  const std::string ctx = "safetensors::load_file: '" + path + "'";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ctx + ": cannot open for reading");
  return read(in, metadata, ctx);
}

NamedTensors read(std::istream& in, std::map<std::string, std::string>* metadata,
                  const std::string& ctx) {
  const auto start_pos = in.tellg();
  in.seekg(0, std::ios::end);
  const auto end_pos = in.tellg();
  if (start_pos < 0 || end_pos < 0) throw Error(ctx + ": cannot determine its size");
  const auto file_size = uint64_t(end_pos - start_pos);
  const auto base = uint64_t(start_pos);
  in.seekg(start_pos);
  if (file_size < 8)
    throw Error(ctx + ": truncated: " + std::to_string(file_size) +
                " bytes, shorter than the 8-byte header length");
  uint64_t n = 0;
  in.read(reinterpret_cast<char*>(&n), 8);
  if (n > file_size - 8)
    throw Error(ctx + ": header length " + std::to_string(n) + " exceeds the " +
                std::to_string(file_size - 8) + " bytes that follow it (truncated or corrupt)");
  if (n > kMaxHeader)
    throw Error(ctx + ": header length " + std::to_string(n) + " above the 100 MB limit");
  std::string header(size_t(n), '\0');
  in.read(header.data(), std::streamsize(n));
  if (!in) throw Error(ctx + ": read failed");
  const uint64_t buffer_size = file_size - 8 - n;

  json::Value root = json::parse(header, ctx);
  if (root.kind != json::Value::Kind::Object)
    throw Error(ctx + ": header must be a JSON object, got " + json::kind_name(root.kind));
  std::vector<Entry> entries;
  for (const auto& [key, v] : root.members) {
    if (key == kMetadataKey)
      read_metadata(ctx, v, metadata);
    else
      entries.push_back(parse_entry(ctx, key, v, buffer_size));
  }
  std::vector<const Entry*> order;
  for (const auto& e : entries) order.push_back(&e);
  check_layout(ctx, order, buffer_size);

  NamedTensors result;
  for (const Entry& e : entries) {
    Tensor t = empty(e.shape, e.dtype);
    in.seekg(std::streamoff(base + 8 + n + uint64_t(e.begin)));
    in.read(static_cast<char*>(t.raw_data()), std::streamsize(e.end - e.begin));
    if (!in) throw Error(ctx + ": read failed for tensor " + json::quote(e.name));
    if (e.dtype == kBool) {  // any other byte would be an invalid C++ bool
      const auto* bytes = static_cast<const unsigned char*>(t.raw_data());
      for (int64_t i = 0; i < e.end - e.begin; ++i)
        if (bytes[i] > 1)
          throw Error(ctx + ": tensor " + json::quote(e.name) + ": BOOL byte " + std::to_string(i) +
                      " is " + std::to_string(bytes[i]) + ", not 0 or 1");
    }
    result.emplace_back(e.name, std::move(t));
  }
  in.seekg(std::streamoff(base + file_size));  // past this file, as a reader of a stream expects
  return result;
}

}  // namespace tg::safetensors
