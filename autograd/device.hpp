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

// The two device types a program can name; libtorch's other backends (xla, mps, ...) are not
// parsed, so `Device("mps")` is refused like any unknown name.
enum class DeviceType : int8_t { CPU = 0, CUDA = 1 };
constexpr DeviceType kCPU = DeviceType::CPU;
constexpr DeviceType kCUDA = DeviceType::CUDA;
using DeviceIndex = int8_t;
std::ostream& operator<<(std::ostream& os, DeviceType t);  // "cpu", "cuda"

class Device {
 public:
  Device(DeviceType type, DeviceIndex index = -1);  // NOLINT: implicit, as c10::Device
  // "cpu", "cuda", "cuda:1": libtorch's grammar ([a-z_]+)(:(0|[1-9][0-9]*))? and messages.
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
