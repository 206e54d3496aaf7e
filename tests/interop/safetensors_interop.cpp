// The C++ half of the safetensors interop test (driven by tests/ref/safetensors_reader.py):
//   safetensors_interop write <path>   writes the tensors the Python reader expects
//   safetensors_interop check <path>   loads the Python-written file and checks it
// Exits non-zero, with a message, on any mismatch.
#include <cmath>
#include <iostream>
#include <map>
#include <string>

#include "tapegrad.hpp"

namespace st = tg::safetensors;

namespace {
// The same literals as tests/ref/safetensors_reader.py.
const std::vector<double> kF64 = {0.1, -1.0 / 3.0, 1e300, 5e-324};
const std::vector<double> kF32 = {0.1, -1.0 / 3.0, 3e38, 1e-45, -0.0, 7.0};

int failures = 0;
void expect(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "safetensors_interop: mismatch: " << what << "\n";
    ++failures;
  }
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: safetensors_interop write|check <path>\n";
    return 2;
  }
  const std::string mode = argv[1], path = argv[2];
  try {
    if (mode == "write") {
      st::save_file({{"f32", tg::tensor(kF32, tg::kDouble).to(tg::kFloat).reshape({2, 3})},
                     {"f64", tg::tensor(kF64, tg::kDouble)},
                     {"i64", tg::tensor(std::vector<int64_t>{-3, 0, (int64_t(1) << 40) + 1})},
                     {"bool", tg::tensor({1.0, 0.0, 1.0}).gt(0.5)},
                     {"scalar", tg::scalar_tensor(2.5, tg::kDouble)},
                     {"empty", tg::zeros({0, 3})},
                     {"layer.0/w\xc3\xa9\"ird",
                      tg::tensor(std::vector<double>(kF32.begin(), kF32.begin() + 4), tg::kDouble)
                          .to(tg::kFloat)
                          .reshape({2, 1, 2})}},
                    path, {{"format", "pt"}, {"note", "quote \" back \\ nl \n \xc3\xa9"}});
      return 0;
    }
    std::map<std::string, std::string> meta;
    st::NamedTensors t = st::load_file(path, &meta);
    expect(t.size() == 3, "3 tensors");
    if (t.size() != 3) return 1;
    // Header order, not data order.
    expect(t[0].first == "w\xc3\xa9ight" && t[1].first == "ids" && t[2].first == "mask", "names");
    expect(t[0].second.scalar_type() == tg::kDouble &&
               t[0].second.equal(
                   tg::tensor(std::vector<double>{0.1, -1.0 / 3.0, 1e300, 5e-324, -2.5, 1e-310},
                              tg::kDouble)
                       .reshape({3, 2})),
           "w\xc3\xa9ight values");
    expect(t[1].second.scalar_type() == tg::kLong &&
               t[1].second.equal(
                   tg::tensor(std::vector<int64_t>{5, -1, int64_t(1) << 50, 0}).reshape({2, 2})),
           "ids values");
    expect(t[2].second.scalar_type() == tg::kBool &&
               t[2].second.equal(tg::tensor({0.0, 1.0, 1.0}).gt(0.5)),
           "mask values");
    expect(meta == std::map<std::string, std::string>{{"from", "python \xe2\x9c\x93"}}, "metadata");
  } catch (const tg::Error& e) {
    std::cerr << "safetensors_interop: " << e.what() << "\n";
    return 1;
  }
  if (failures == 0) std::cout << "C++ checked the python file\n";
  return failures ? 1 : 0;
}
