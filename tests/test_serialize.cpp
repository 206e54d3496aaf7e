#include <doctest/doctest.h>

#include "helpers.hpp"
#include "tapegrad.hpp"

// safetensors files (tg::safetensors) and tg::save / tg::load of modules: round trips, the exact
// bytes written, and every kind of damaged file refused with a message naming file and problem.
// Interop with an independent (json + numpy) reader: tests/ref/safetensors_reader.py.

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace {

using test::contains;
using test::error_of;
using tg::Tensor;
namespace nn = tg::nn;
namespace st = tg::safetensors;

std::string tmp(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("tg_serialize_" + std::to_string(getpid()) + "_" + name + ".safetensors"))
      .string();
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A file made of an 8-byte length (`length`, or the header's size), the header, the buffer.
std::string raw_file(const std::string& name, const std::string& header, const std::string& buffer,
                     std::optional<uint64_t> length = std::nullopt) {
  std::string path = tmp(name);
  uint64_t n = length.value_or(header.size());
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(&n), 8);
  out << header << buffer;
  return path;
}

std::string load_error(const std::string& header, const std::string& buffer) {
  std::string path = raw_file("bad", header, buffer);
  std::string msg = error_of([&] { st::load_file(path); });
  std::filesystem::remove(path);
  CHECK_MESSAGE(contains(msg, "safetensors::load_file: '" + path + "'"), msg);
  return msg;
}

}  // namespace

TEST_CASE("safetensors: every dtype, 0-d and empty tensors and metadata round-trip exactly") {
  Tensor f = test::seq({2, 3}, 0.1).to(tg::kFloat);
  Tensor d = test::seq({4}, 0.2);
  Tensor l = tg::tensor(std::vector<int64_t>{-3, 0, (int64_t(1) << 40) + 1});
  Tensor b = tg::tensor({1.0, 0.0, 2.0}).gt(0.5);
  Tensor s = tg::scalar_tensor(2.5, tg::kDouble);
  Tensor e = tg::zeros({0, 3});
  std::map<std::string, std::string> meta = {{"format", "pt"},
                                             {"note", "quote \" back \\ nl \n tab \t é \x01"}};
  std::string path = tmp("roundtrip");
  st::save_file({{"f", f}, {"d", d}, {"l", l}, {"b", b}, {"s", s}, {"we\"ird/é", e}}, path, meta);
  std::map<std::string, std::string> meta_back;
  st::NamedTensors back = st::load_file(path, &meta_back);
  std::filesystem::remove(path);
  CHECK(meta_back == meta);
  REQUIRE(back.size() == 6);
  std::vector<std::string> names;
  for (const auto& [n, t] : back) names.push_back(n);
  CHECK(names == std::vector<std::string>{"f", "d", "l", "b", "s", "we\"ird/é"});
  Tensor want[] = {f, d, l, b, s, e};
  for (size_t i = 0; i < 6; ++i) {
    CHECK(back[i].second.scalar_type() == want[i].scalar_type());
    CHECK(back[i].second.sizes() == want[i].sizes());
    CHECK(back[i].second.equal(want[i]));
    CHECK_FALSE(back[i].second.requires_grad());
  }
}

TEST_CASE("safetensors: the bytes written follow the spec, header padded to 8 bytes") {
  std::string path = tmp("bytes");
  st::save_file({{"x", tg::tensor({1.0, -2.0}, tg::kDouble)}, {"y", tg::tensor({true})}}, path);
  std::string got = bytes_of(path);
  std::filesystem::remove(path);
  std::string header = R"({"x":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},)"
                       R"("y":{"dtype":"BOOL","shape":[1],"data_offsets":[16,17]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  REQUIRE(got.size() == 8 + header.size() + 17);
  uint64_t n = 0;
  std::memcpy(&n, got.data(), 8);
  CHECK(n == header.size());
  CHECK(n % 8 == 0);
  CHECK(got.substr(8, header.size()) == header);
  double x[2];
  std::memcpy(x, got.data() + 8 + n, 16);
  CHECK(x[0] == 1.0);
  CHECK(x[1] == -2.0);
  CHECK(got.back() == '\x01');
}

TEST_CASE("safetensors: a header in any order, unpadded, with \\u escapes, loads") {
  double v[3] = {0.5, 1.5, -2.0};
  std::string buffer(reinterpret_cast<const char*>(v), 24);
  // "b" comes first in the buffer but second in the header; \u00e9 is é, \ud83d\ude00 one emoji.
  std::string header =
      " {\"a\\u00e9\": {\"dtype\": \"F64\", \"shape\": [2], \"data_offsets\": [8, 24]},\n"
      "  \"b\\ud83d\\ude00\": {\"shape\": [], \"data_offsets\": [0, 8], \"dtype\": \"F64\"},"
      "  \"__metadata__\": {}} ";
  std::string path = raw_file("order", header, buffer);
  st::NamedTensors t = st::load_file(path);
  std::filesystem::remove(path);
  REQUIRE(t.size() == 2);
  CHECK(t[0].first == "a\xc3\xa9");
  CHECK(t[1].first == "b\xf0\x9f\x98\x80");
  CHECK(t[0].second.equal(tg::tensor({1.5, -2.0}, tg::kDouble)));
  CHECK(t[1].second.dim() == 0);
  CHECK(t[1].second.item<double>() == 0.5);

  // A zero dimension makes the tensor empty however large the others are.
  path = raw_file(
      "zero", R"({"z":{"dtype":"F32","shape":[0,4611686018427387904],"data_offsets":[0,0]}})", "");
  t = st::load_file(path);
  std::filesystem::remove(path);
  CHECK(t.at(0).second.numel() == 0);
  CHECK(t.at(0).second.size(1) == int64_t(1) << 62);
}

TEST_CASE("safetensors: damaged files throw tg::Error naming the file and the problem") {
  const std::string f8(8, '\0');
  auto entry = [](const std::string& name, const std::string& dtype, const std::string& shape,
                  int b, int e) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape +
           ",\"data_offsets\":[" + std::to_string(b) + "," + std::to_string(e) + "]}";
  };
  auto one = [&](const std::string& dtype, const std::string& shape, int b, int e) {
    return "{" + entry("w", dtype, shape, b, e) + "}";
  };
  SUBCASE("file too short, header length beyond the file, or absurd") {
    std::string path = tmp("short");
    std::ofstream(path, std::ios::binary) << "abc";
    std::string msg = error_of([&] { st::load_file(path); });
    CHECK(contains(msg, "'" + path + "': truncated: 3 bytes"));
    path = raw_file("long", "{}", "", 100);
    msg = error_of([&] { st::load_file(path); });
    CHECK(contains(msg, "'" + path + "': header length 100 exceeds the 2 bytes that follow it"));
    path = raw_file("huge", "{}", "", uint64_t(1) << 63);
    CHECK(contains(error_of([&] { st::load_file(path); }), "header length 9223372036854775808"));
    std::filesystem::remove(path);
    CHECK(contains(error_of([&] { st::load_file(path); }), "'" + path + "': cannot open"));
  }
  SUBCASE("a truncated buffer") {
    CHECK(contains(load_error(one("F64", "[2]", 0, 16), f8),
                   "tensor \"w\": data_offsets [0, 16] beyond the data buffer of 8 bytes"));
  }
  SUBCASE("malformed JSON") {
    CHECK(contains(load_error("{\"w\":", ""), "invalid JSON header: unexpected end at byte 5"));
    CHECK(contains(load_error("{\"a\":1,}", ""), "invalid JSON header: expected a string key"));
    CHECK(contains(load_error("{} x", ""), "unexpected text after the top-level value"));
    CHECK(contains(load_error("{\"a\\q\":1}", ""), "unknown escape"));
    CHECK(contains(load_error("{\"a\xff\":1}", ""), "invalid UTF-8 in a string"));
    CHECK(contains(load_error("{\"a\xc0\xaf\":1}", ""), "invalid UTF-8"));  // overlong '/'
    CHECK(contains(load_error("{\"\\ud800\":1}", ""), "unpaired surrogate"));
    CHECK(contains(load_error("{\"a\nb\":1}", ""), "control character in a string"));
    CHECK(contains(load_error("{\"a\":01}", ""), "expected '}'"));
    CHECK(contains(load_error(std::string(100, '[') + std::string(100, ']'), ""),
                   "nesting deeper than 64"));
    CHECK(contains(load_error("[]", ""), "header must be a JSON object, got an array"));
    CHECK(contains(load_error("", ""), "unexpected end at byte 0"));
  }
  SUBCASE("bad entries") {
    CHECK(contains(load_error(one("F16", "[4]", 0, 8), f8),
                   "tensor \"w\": unsupported dtype \"F16\" (tapegrad reads F32, F64, I64, BOOL)"));
    CHECK(contains(load_error(one("F64", "[2]", 0, 8), f8),
                   "data_offsets [0, 8] hold 8 bytes but dtype F64 and shape [2] need 16"));
    CHECK(contains(load_error(one("F32", "[-2]", 0, 8), f8),
                   "shape entries must be non-negative integers"));
    CHECK(contains(load_error(one("F32", "[1.5]", 0, 8), f8), "non-negative integers"));
    CHECK(contains(load_error(one("F32", "[9223372036854775808]", 0, 8), f8),
                   "non-negative integers"));  // 2^63 does not fit int64
    CHECK(contains(load_error(one("F32", "[4294967296, 4294967296, 4]", 0, 8), f8),
                   "need more than 2^64"));
    CHECK(contains(load_error(one("F32", "[1,1,1,1,1,1,1,1,1,1,1,1,1]", 0, 4), f8),
                   "has 13 dimensions, tapegrad supports 12"));
    CHECK(contains(load_error(one("F32", "[1]", 4, 0), f8), "[4, 0] end before begin"));
    CHECK(contains(load_error("{\"w\":[]}", ""), "tensor \"w\": expected an object, got an array"));
    CHECK(contains(load_error("{\"w\":{\"dtype\":\"F32\",\"shape\":[]}}", f8),
                   "needs the fields dtype, shape and data_offsets"));
    CHECK(contains(load_error("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],"
                              "\"x\":1}}",
                              f8),
                   "unknown field \"x\""));
    CHECK(contains(load_error("{\"__metadata__\":{\"k\":3}}", ""),
                   "__metadata__ value of \"k\" must be a string, got a number"));
    CHECK(contains(load_error(one("BOOL", "[2]", 0, 2), std::string("\x01\x02", 2)),
                   "BOOL byte 1 is 2, not 0 or 1"));
  }
  SUBCASE("duplicate names, overlaps, gaps and trailing bytes") {
    CHECK(contains(
        load_error(
            "{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}", f8),
        "duplicate key \"w\""));
    CHECK(contains(
        load_error(
            "{" + entry("a", "F64", "[1]", 0, 8) + "," + entry("b", "F32", "[1]", 4, 8) + "}", f8),
        "tensors \"a\" and \"b\" overlap (byte 4)"));
    CHECK(contains(load_error(one("F32", "[1]", 4, 8), f8),
                   "4 unused bytes before tensor \"w\" at byte 0"));
    CHECK(contains(load_error(one("F32", "[1]", 0, 4), f8),
                   "data buffer has 8 bytes but the tensors use 4"));
  }
}

TEST_CASE("safetensors: save_file refuses bad names, undefined tensors, unwritable paths") {
  Tensor x = tg::ones({2});
  std::string path = tmp("save_bad");
  CHECK(error_of([&] {
          st::save_file({{"a", x}, {"a", x}}, path);
        }) == "safetensors::save_file: '" + path + "': duplicate tensor name \"a\"");
  CHECK(contains(error_of([&] { st::save_file({{"", x}}, path); }), "invalid tensor name \"\""));
  CHECK(contains(error_of([&] {
                   st::save_file({{"__metadata__", x}}, path);
                 }),
                 "invalid tensor name \"__metadata__\""));
  CHECK(contains(error_of([&] {
                   st::save_file({{"u", Tensor()}}, path);
                 }),
                 "tensor \"u\" is undefined"));
  CHECK(contains(error_of([&] {
                   st::save_file({{"a", x}}, "/nonexistent/dir/f.safetensors");
                 }),
                 "'/nonexistent/dir/f.safetensors': cannot open for writing"));
  std::filesystem::remove(path);
}

// ---- modules -------------------------------------------------------------------------------
namespace {
struct SerTestNetImpl : nn::Module {
  SerTestNetImpl(int64_t hidden = 3) {
    fc = register_module("fc", nn::Linear(2, hidden));
    body = register_module("body", nn::Sequential(nn::ReLU(), nn::Linear(hidden, 1)));
    steps = register_buffer("steps", tg::tensor(std::vector<int64_t>{7}));
  }
  Tensor forward(const Tensor& x) { return body->forward(fc(x)); }
  nn::Linear fc{nullptr};
  nn::Sequential body{nullptr};
  Tensor steps;
};
TG_MODULE(SerTestNet);
}  // namespace

TEST_CASE("tg::save / tg::load: parameters and buffers under libtorch's dotted names") {
  tg::manual_seed(1);
  SerTestNet a;
  std::string path = tmp("module");
  tg::save(a, path);
  std::map<std::string, std::string> meta;
  st::NamedTensors file = st::load_file(path, &meta);
  std::vector<std::string> names;
  for (const auto& [n, t] : file) names.push_back(n);
  CHECK(names ==
        std::vector<std::string>{"fc.weight", "fc.bias", "body.1.weight", "body.1.bias", "steps"});
  CHECK(meta.at("format") == "pt");

  SerTestNet b;
  Tensor w = b->fc->weight;  // a handle held elsewhere (an optimizer's) sees the loaded values
  b->steps.fill_(0);
  CHECK_FALSE(w.equal(a->fc->weight));
  tg::load(b, path);
  CHECK(w.equal(a->fc->weight));
  CHECK(w.requires_grad());
  CHECK(b->steps.item<int64_t>() == 7);
  Tensor x = test::seq({4, 2}, 0.3).to(tg::kFloat);
  CHECK(b(x).equal(a(x)));

  // A shared_ptr to an impl and a plain Module& work too.
  auto c = std::make_shared<SerTestNetImpl>();
  tg::load(c, path);
  CHECK(c->body[1]->as<nn::Linear>()->bias.equal(a->body[1]->as<nn::Linear>()->bias));
  nn::Linear single(2, 3);
  tg::save(single, path);
  tg::load(*c->fc, path);
  CHECK(c->fc->weight.equal(single->weight));
  std::filesystem::remove(path);
}

TEST_CASE("tg::load: names, shapes and dtypes must match; a failed load changes nothing") {
  std::string path = tmp("mismatch");
  tg::save(SerTestNet(3), path);
  SerTestNet wide(4);
  Tensor before = wide->fc->weight.clone();
  CHECK(contains(error_of([&] { tg::load(wide, path); }),
                 "'fc.weight' has shape [3, 2] in the file but [4, 2] in the module"));
  CHECK(contains(error_of([&] { tg::load(wide, path); }), "SerTestNetImpl from '" + path + "'"));
  CHECK(wide->fc->weight.equal(before));

  SerTestNet dbl;
  dbl->to(tg::kDouble);
  CHECK(contains(error_of([&] { tg::load(dbl, path); }),
                 "'fc.weight' has dtype Float in the file but Double in the module"));

  auto only_fc = std::make_shared<nn::Module>();
  only_fc->register_module("fc", nn::Linear(2, 3));
  CHECK(contains(error_of([&] { tg::load(only_fc, path); }),
                 "the file has tensor 'body.1.bias' that the module does not have"));
  nn::Linear lin(2, 3);
  tg::save(lin, path);
  CHECK(contains(error_of([&] { tg::load(dbl, path); }), "the file has no tensor 'fc.weight'"));
  std::filesystem::remove(path);
  CHECK(contains(error_of([&] { tg::load(lin, path); }), "cannot open for reading"));
}
