// Module state to and from safetensors files (see serialize.hpp).
#include "serialize.hpp"

#include <map>

#include "../autograd/functions.hpp"
#include "../autograd/safetensors.hpp"

namespace tg {

namespace {
// Parameters, then buffers, in registration order: the module's state as libtorch names it.
safetensors::NamedTensors state_of(const nn::Module& module) {
  safetensors::NamedTensors state;
  for (const auto& p : module.named_parameters()) state.emplace_back(p.key(), p.value());
  for (const auto& b : module.named_buffers()) state.emplace_back(b.key(), b.value());
  return state;
}
}  // namespace

void nn::Module::save(serialize::OutputArchive& archive) const {
  for (const auto& p : named_parameters(/*recurse=*/false)) archive.write(p.key(), p.value());
  for (const auto& b : named_buffers(/*recurse=*/false)) archive.write(b.key(), b.value(), true);
  for (const auto& child : named_children()) {
    if (!child.value()->is_serializable()) continue;
    serialize::OutputArchive child_archive;
    child.value()->save(child_archive);
    archive.write(child.key(), child_archive);
  }
}

void nn::Module::load(serialize::InputArchive& archive) {
  for (auto& p : named_parameters(/*recurse=*/false)) archive.read(p.key(), p.value());
  for (auto& b : named_buffers(/*recurse=*/false)) archive.read(b.key(), b.value(), true);
  for (const auto& child : named_children()) {
    if (!child.value()->is_serializable()) continue;
    serialize::InputArchive child_archive;
    archive.read(child.key(), child_archive);
    child.value()->load(child_archive);
  }
}

bool nn::Module::is_serializable() const { return true; }

void save(const nn::Module& module, std::ostream& stream) {
  serialize::OutputArchive archive;
  module.save(archive);
  archive.save_to(stream);
}

void load(nn::Module& module, std::istream& stream) {
  serialize::InputArchive archive;
  archive.load_from(stream);
  module.load(archive);
}

void save(const nn::Module& module, const std::string& path) {
  safetensors::NamedTensors state = state_of(module);
  for (auto& [name, t] : state) t = t.detach();
  // "format": "pt" is what the Hugging Face loaders expect of a PyTorch state dict.
  safetensors::save_file(state, path, {{"format", "pt"}});
}

void load(nn::Module& module, const std::string& path) {
  const std::string ctx = "tg::load: " + module.name() + " from '" + path + "'";
  std::map<std::string, Tensor> file;
  for (auto& [name, t] : safetensors::load_file(path)) file.emplace(name, std::move(t));
  safetensors::NamedTensors state = state_of(module);
  // Check everything first, so that a mismatch leaves the module untouched.
  for (const auto& [name, t] : state) {
    auto it = file.find(name);
    if (it == file.end()) throw Error(ctx + ": the file has no tensor '" + name + "'");
    const Tensor& v = it->second;
    if (v.sizes() != t.sizes())
      throw Error(ctx + ": '" + name + "' has shape " + to_string(v.sizes()) + " in the file but " +
                  to_string(t.sizes()) + " in the module");
    if (v.scalar_type() != t.scalar_type())
      throw Error(ctx + ": '" + name + "' has dtype " + dtype_name(v.scalar_type()) +
                  " in the file but " + dtype_name(t.scalar_type()) + " in the module");
  }
  if (file.size() != state.size()) {
    for (const auto& [name, t] : state) file.erase(name);
    throw Error(ctx + ": the file has tensor '" + file.begin()->first +
                "' that the module does not have");
  }
  NoGradGuard no_grad;
  for (const auto& [name, t] : state) t.copy_(file.at(name));
}

}  // namespace tg
