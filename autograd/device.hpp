// Devices, as libtorch's c10::Device: tapegrad computes on the CPU only, but libtorch programs
// name devices everywhere (`torch::Device device(torch::cuda::is_available() ? torch::kCUDA :
// torch::kCPU)`, `model->to(device)`, `torch::zeros({2}, torch::device(device))`). A Device is
// a plain value here and any CUDA device may be named; using one for a tensor throws tg::Error
// (check_cpu below), as a libtorch built without CUDA does.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace tg {

// libtorch's device types (same values), so programs and tests can name and parse them all;
// only the CPU computes here.
enum class DeviceType : int8_t {
  CPU = 0,
  CUDA = 1,
  MKLDNN = 2,
  OPENGL = 3,
  OPENCL = 4,
  IDEEP = 5,
  HIP = 6,
  FPGA = 7,
  ORT = 8,
  XLA = 9,
  Vulkan = 10,
  Metal = 11,
  XPU = 12,
  MPS = 13,
  Meta = 14,
  HPU = 15,
  VE = 16,
  Lazy = 17,
  IPU = 18,
  PrivateUse1 = 19
};
constexpr DeviceType kCPU = DeviceType::CPU;
constexpr DeviceType kCUDA = DeviceType::CUDA;
constexpr DeviceType kHIP = DeviceType::HIP;
constexpr DeviceType kMPS = DeviceType::MPS;
constexpr DeviceType kMeta = DeviceType::Meta;
constexpr DeviceType kXLA = DeviceType::XLA;
using DeviceIndex = int8_t;
std::ostream& operator<<(std::ostream& os, DeviceType t);           // "cpu", "cuda", ...
std::string DeviceTypeName(DeviceType t, bool lower_case = false);  // "CPU" / "cpu"

class Device {
 public:
  using Type = DeviceType;
  Device(DeviceType type, DeviceIndex index = -1);  // NOLINT: implicit, as c10::Device
  // "cpu", "cuda:1", "hip": libtorch's grammar ([a-z_]+)(:(0|[1-9][0-9]*))?, names, messages.
  Device(const std::string& device_string);                                  // NOLINT
  Device(const char* device_string) : Device(std::string(device_string)) {}  // NOLINT
  DeviceType type() const noexcept { return type_; }
  DeviceIndex index() const noexcept { return index_; }
  bool has_index() const noexcept { return index_ != -1; }
  bool is_cpu() const noexcept { return type_ == kCPU; }
  bool is_cuda() const noexcept { return type_ == kCUDA; }
  void set_index(DeviceIndex index) { index_ = index, validate(); }
  std::string str() const;  // "cpu", "cuda:1"
  friend bool operator==(const Device& a, const Device& b) {
    return a.type_ == b.type_ && a.index_ == b.index_;
  }
  friend bool operator!=(const Device& a, const Device& b) { return !(a == b); }

 private:
  void validate() const;  // index -1 or >= 0; a CPU's index -1 or 0 (libtorch's checks)
  DeviceType type_;
  DeviceIndex index_ = -1;
};
std::ostream& operator<<(std::ostream& os, const Device& d);

// Memory layouts: tapegrad tensors are always strided (dense); options may name another
// layout, and a factory asked for one throws tg::Error.
enum class Layout : int8_t { Strided, Sparse, SparseCsr, Mkldnn };
constexpr Layout kStrided = Layout::Strided;
constexpr Layout kSparse = Layout::Sparse;
constexpr Layout kSparseCsr = Layout::SparseCsr;
constexpr Layout kMkldnn = Layout::Mkldnn;
std::ostream& operator<<(std::ostream& os, Layout l);  // "Strided", "Sparse", ...

// Throws tg::Error unless d is the CPU: "<op>: tapegrad runs on the CPU only; device cuda:0
// is not available (PyTorch is not linked with support for cuda devices)".
void check_cpu(const Device& d, const char* op);

// libtorch's torch::cuda: no CUDA devices here. The seeding calls are no-ops, as libtorch's
// are when it finds no device.
namespace cuda {
inline bool is_available() { return false; }
inline bool cudnn_is_available() { return false; }
inline int64_t device_count() { return 0; }
inline void manual_seed(uint64_t) {}
inline void manual_seed_all(uint64_t) {}
void synchronize(int64_t device_index = -1);  // throws: there is no device to wait for
}  // namespace cuda

// Threads for intra-op work (libtorch's at::set_num_threads). tapegrad's own kernels are
// single-threaded; the value is kept, and OpenBLAS (matmul, conv) is told to use that many.
void set_num_threads(int n);  // n >= 1, else tg::Error ("Expected positive number of threads")
int get_num_threads();        // the value set, or OpenBLAS's own default before any call

}  // namespace tg
