// tg::save / tg::load for modules: libtorch's torch::save(module, path) and
// torch::load(module, path), but the file is safetensors (autograd/safetensors.hpp), so
// PyTorch (`safetensors.torch.load_file`), NumPy and the Hugging Face tools read it.
//
// Every parameter and buffer is stored under its dotted libtorch name ("fc1.weight",
// "0.bias", "bn.running_mean"), as named_parameters() and named_buffers() list them.
// load() replaces the values in place (the module's tensor handles, and an optimizer holding
// them, see the new values) after checking that the file has exactly the module's names, each
// with the module's shape and dtype; on any mismatch it throws tg::Error and changes nothing.
//
//   tg::nn::Linear fc(3, 1);
//   tg::save(fc, "fc.safetensors");
//   tg::nn::Linear copy(3, 1);
//   tg::load(copy, "fc.safetensors");
#pragma once

#include <memory>
#include <string>
#include <type_traits>

#include "module.hpp"

namespace tg {

void save(const nn::Module& module, const std::string& path);
void load(nn::Module& module, const std::string& path);

template <class M, std::enable_if_t<std::is_base_of_v<nn::Module, M>, int> = 0>
void save(const std::shared_ptr<M>& module, const std::string& path) {
  if (!module) throw Error("tg::save: module pointer is null (path '" + path + "')");
  save(static_cast<const nn::Module&>(*module), path);
}
template <class M, std::enable_if_t<std::is_base_of_v<nn::Module, M>, int> = 0>
void load(const std::shared_ptr<M>& module, const std::string& path) {
  if (!module) throw Error("tg::load: module pointer is null (path '" + path + "')");
  load(static_cast<nn::Module&>(*module), path);
}
template <class C>
void save(const nn::ModuleHolder<C>& module, const std::string& path) {
  save(module.ptr(), path);
}
template <class C>
void load(nn::ModuleHolder<C>& module, const std::string& path) {
  load(module.ptr(), path);
}

}  // namespace tg
