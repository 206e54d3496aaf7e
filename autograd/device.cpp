// Devices (device.hpp): parsing and printing with libtorch's grammar and messages, the CPU-only
// check every factory and `.to(...)` makes, and the intra-op thread count.
#include "device.hpp"

#include <cblas.h>

#include <cctype>
#include <iterator>
#include <ostream>
#include <utility>

#include "core.hpp"

namespace tg {

// In DeviceType order; libtorch's names (DeviceTypeName).
static const char* const kTypeNames[] = {"CPU",    "CUDA",  "MKLDNN", "OPENGL", "OPENCL",
                                         "IDEEP",  "HIP",   "FPGA",   "ORT",    "XLA",
                                         "VULKAN", "METAL", "XPU",    "MPS",    "META",
                                         "HPU",    "VE",    "LAZY",   "IPU",    "PRIVATEUSEONE"};
std::string DeviceTypeName(DeviceType t, bool lower_case) {
  const int i = int(t);
  std::string name = i >= 0 && i < int(std::size(kTypeNames)) ? kTypeNames[i] : "UNKNOWN";
  if (lower_case)
    for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
  return name;
}
std::ostream& operator<<(std::ostream& os, DeviceType t) { return os << DeviceTypeName(t, true); }

std::ostream& operator<<(std::ostream& os, Layout l) {
  static const char* const names[] = {"Strided", "Sparse", "SparseCsr", "Mkldnn"};
  return os << names[int(l)];
}

// The names a device string may start with, in libtorch's order (its error message lists them).
static const std::pair<const char*, DeviceType> kParsed[] = {
    {"cpu", DeviceType::CPU},
    {"cuda", DeviceType::CUDA},
    {"ipu", DeviceType::IPU},
    {"xpu", DeviceType::XPU},
    {"mkldnn", DeviceType::MKLDNN},
    {"opengl", DeviceType::OPENGL},
    {"opencl", DeviceType::OPENCL},
    {"ideep", DeviceType::IDEEP},
    {"hip", DeviceType::HIP},
    {"ve", DeviceType::VE},
    {"fpga", DeviceType::FPGA},
    {"ort", DeviceType::ORT},
    {"xla", DeviceType::XLA},
    {"lazy", DeviceType::Lazy},
    {"vulkan", DeviceType::Vulkan},
    {"mps", DeviceType::MPS},
    {"meta", DeviceType::Meta},
    {"hpu", DeviceType::HPU},
    {"privateuseone", DeviceType::PrivateUse1}};

Device::Device(DeviceType type, DeviceIndex index) : type_(type), index_(index) { validate(); }

// The accepted strings are libtorch's ([A-Za-z_]+)(:(0|[1-9][0-9]*))?, with its device names.
Device::Device(const std::string& s) : type_(kCPU) {
  if (s.empty()) throw Error("Device string must not be empty");
  std::string name, index;
  size_t i = 0;
  while (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_'))
    name += s[i++];
  bool ok = !name.empty();
  if (ok && i < s.size()) {
    ok = s[i++] == ':' && i < s.size();  // a colon, then at least one digit
    while (ok && i < s.size()) {
      ok =
          std::isdigit(static_cast<unsigned char>(s[i])) && !(index.size() == 1 && index[0] == '0');
      index += s[i++];
    }
  }
  if (!ok) throw Error("Invalid device string: '" + s + "'");
  bool known = false;
  for (const auto& [n, t] : kParsed)
    if (name == n) type_ = t, known = true;
  if (!known) {
    std::string names;
    for (const auto& p : kParsed) names += std::string(names.empty() ? "" : ", ") + p.first;
    throw Error("Expected one of " + names + " device type at start of device string: " + name);
  }
  if (!index.empty()) {
    int v = index.size() > 3 ? 1000 : std::stoi(index);
    if (v > 127)
      throw Error("Could not parse device index '" + index + "' in device string '" + s + "'");
    index_ = DeviceIndex(v);
  }
  validate();
}

void Device::validate() const {
  if (index_ < -1)
    throw Error("Device index must be -1 or non-negative, got " + std::to_string(int(index_)));
  if (type_ == kCPU && index_ > 0)
    throw Error("CPU device index must be -1 or zero, got " + std::to_string(int(index_)));
}

std::string Device::str() const {
  std::string out = DeviceTypeName(type_, true);
  if (has_index()) out += ":" + std::to_string(int(index_));
  return out;
}
std::ostream& operator<<(std::ostream& os, const Device& d) { return os << d.str(); }

void check_cpu(const Device& d, const char* op) {
  if (!d.is_cpu())
    throw Error(std::string(op) + ": tapegrad runs on the CPU only; device " + d.str() +
                " is not available (PyTorch is not linked with support for " +
                DeviceTypeName(d.type(), true) + " devices)");
}

namespace cuda {
void synchronize(int64_t) {
  throw Error("cuda::synchronize: tapegrad runs on the CPU only; there is no CUDA device");
}
}  // namespace cuda

// 0 = never set: get_num_threads then reports OpenBLAS's own count.
static int num_threads = 0;
void set_num_threads(int n) {
  if (n <= 0) throw Error("set_num_threads: Expected positive number of threads");
  num_threads = n;
  openblas_set_num_threads(n);
}
int get_num_threads() { return num_threads > 0 ? num_threads : openblas_get_num_threads(); }

}  // namespace tg
