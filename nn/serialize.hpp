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

#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "archive.hpp"
#include "module.hpp"

namespace tg {

// Tensors, as libtorch's torch::save / torch::load: an archive with the tensor under "0" (a
// vector: "0", "1", ...), to or from whatever OutputArchive::save_to / InputArchive::load_from
// take (a path, a std::ostream / std::istream, a writer function, bytes, a reader function).
template <typename... SaveToArgs>
void save(const Tensor& tensor, SaveToArgs&&... args) {
  serialize::OutputArchive archive;
  archive.write("0", tensor);
  archive.save_to(std::forward<SaveToArgs>(args)...);
}
template <typename... SaveToArgs>
void save(const std::vector<Tensor>& tensors, SaveToArgs&&... args) {
  serialize::OutputArchive archive;
  for (size_t i = 0; i < tensors.size(); ++i) archive.write(std::to_string(i), tensors[i]);
  archive.save_to(std::forward<SaveToArgs>(args)...);
}
template <typename... LoadFromArgs>
void load(Tensor& tensor, LoadFromArgs&&... args) {
  serialize::InputArchive archive;
  archive.load_from(std::forward<LoadFromArgs>(args)...);
  archive.read("0", tensor);
}
template <typename... LoadFromArgs>
void load(std::vector<Tensor>& tensors, LoadFromArgs&&... args) {
  serialize::InputArchive archive;
  archive.load_from(std::forward<LoadFromArgs>(args)...);
  tensors.clear();
  for (Tensor t; archive.try_read(std::to_string(tensors.size()), t); t = Tensor())
    tensors.push_back(t);
}

// Modules to and from streams, through Module::save / Module::load (libtorch's semantics: a
// missing tensor throws "No such serialized tensor '<path>'").
void save(const nn::Module& module, std::ostream& stream);
void load(nn::Module& module, std::istream& stream);
template <class M, std::enable_if_t<std::is_base_of_v<nn::Module, M>, int> = 0>
void save(const std::shared_ptr<M>& module, std::ostream& stream) {
  save(static_cast<const nn::Module&>(*module), stream);
}
template <class M, std::enable_if_t<std::is_base_of_v<nn::Module, M>, int> = 0>
void load(const std::shared_ptr<M>& module, std::istream& stream) {
  load(static_cast<nn::Module&>(*module), stream);
}
template <class C>
void save(const nn::ModuleHolder<C>& module, std::ostream& stream) {
  save(module.ptr(), stream);
}
template <class C>
void load(nn::ModuleHolder<C>& module, std::istream& stream) {
  load(module.ptr(), stream);
}

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
