// tg::serialize::OutputArchive / InputArchive: libtorch's archives of named tensors, values
// (IValue: int, double, bool, string) and nested archives, which modules, optimizers and
// tg::save / tg::load of tensors are written with.
//
// On disk (and in a stream) an archive is a safetensors file (autograd/safetensors.hpp), so
// Python reads it with `safetensors.torch.load_file`: each tensor under its dotted path
// ("fc.weight", "0" for a saved tensor), values and the list of nested archives in the
// header's __metadata__ ("tg.value.<path>", "tg.archives").
//
//   tg::serialize::OutputArchive out;
//   out.write("step", tg::IValue(int64_t(3)));
//   out.write("w", weight);
//   out.save_to("state.safetensors");            // or a std::ostream, or a writer function
//   tg::serialize::InputArchive in;
//   in.load_from("state.safetensors");           // or a std::istream, bytes, a reader function
//   tg::IValue step; in.read("step", step);     // throws if absent; try_read returns false
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../autograd/c10_util.hpp"
#include "../autograd/custom_function.hpp"
#include "../autograd/device.hpp"
#include "../autograd/tensor.hpp"

namespace tg {
using autograd::IValue;  // c10::IValue

namespace serialize {
namespace detail {
struct ArchiveNode;
}

class OutputArchive {
 public:
  OutputArchive();
  void write(const std::string& key, const Tensor& tensor, bool is_buffer = false);
  void write(const std::string& key, const IValue& ivalue);
  void write(const std::string& key, OutputArchive& nested_archive);

  void save_to(const std::string& filename);
  void save_to(std::ostream& stream);
  void save_to(const std::function<size_t(const void*, size_t)>& func);

  template <typename... Ts>
  void operator()(Ts&&... ts) {
    write(std::forward<Ts>(ts)...);
  }

 private:
  std::shared_ptr<detail::ArchiveNode> node_;
};

class InputArchive {
 public:
  InputArchive();
  // Into a defined tensor the value is put in place (every handle on it sees it).
  void read(const std::string& key, Tensor& tensor, bool is_buffer = false);
  bool try_read(const std::string& key, Tensor& tensor, bool is_buffer = false);
  void read(const std::string& key, IValue& ivalue);
  bool try_read(const std::string& key, IValue& ivalue);
  void read(const std::string& key, InputArchive& archive);
  bool try_read(const std::string& key, InputArchive& archive);

  // The device, if given, must be the CPU.
  void load_from(const std::string& filename, optional<Device> device = nullopt);
  void load_from(std::istream& stream, optional<Device> device = nullopt);
  void load_from(const char* data, size_t size, optional<Device> device = nullopt);
  void load_from(const std::function<size_t(uint64_t pos, void* buf, size_t nbytes)>& read_func,
                 const std::function<size_t(void)>& size_func, optional<Device> device = nullopt);

  // The names of this archive's entries, in the order they were written.
  std::vector<std::string> keys();

  template <typename... Ts>
  void operator()(Ts&&... ts) {
    read(std::forward<Ts>(ts)...);
  }

 private:
  std::shared_ptr<detail::ArchiveNode> node_;
  std::string hierarchy_prefix_;
};

}  // namespace serialize

namespace guts {
// c10::guts::to_string: what `stream << value` prints.
std::string to_string(const void* pointer);
using std::to_string;
}  // namespace guts

}  // namespace tg
