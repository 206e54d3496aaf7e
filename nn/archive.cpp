// OutputArchive / InputArchive as a tree of entries, stored as one safetensors file.
#include "archive.hpp"

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "../autograd/functions.hpp"
#include "../autograd/safetensors.hpp"
#include "cloneable.hpp"  // detail::set_data

namespace tg {

std::string guts::to_string(const void* pointer) {
  std::ostringstream s;
  s << pointer;
  return s.str();
}

namespace serialize {
namespace detail {

struct ArchiveNode {
  enum class Kind { Tensor, Value, Archive };
  struct Entry {
    std::string key;
    Kind kind;
    Tensor tensor;
    IValue value;
    std::shared_ptr<ArchiveNode> child;
  };
  std::vector<Entry> entries;

  Entry* find(const std::string& key) {
    for (auto& e : entries)
      if (e.key == key) return &e;
    return nullptr;
  }
  Entry& put(const std::string& key, Kind kind) {
    Entry* e = find(key);
    if (!e) e = &entries.emplace_back(Entry{key, kind, {}, {}, {}});
    *e = Entry{key, kind, {}, {}, {}};
    return *e;
  }
  // The nested archive at `key`, made if absent.
  ArchiveNode& child_at(const std::string& key) {
    Entry* e = find(key);
    if (!e || e->kind != Kind::Archive) {
      e = &put(key, Kind::Archive);
      e->child = std::make_shared<ArchiveNode>();
    }
    return *e->child;
  }
};

namespace {
constexpr char kKeys[] = "tg.keys:";
constexpr char kValue[] = "tg.value:";
using Metadata = std::map<std::string, std::string>;

std::string join(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

std::string encode(const IValue& v) {
  if (v.isInt()) return "int:" + std::to_string(v.toInt());
  if (v.isBool()) return std::string("bool:") + (v.toBool() ? "1" : "0");
  if (v.isString()) return "string:" + v.toStringRef();
  if (v.isDouble()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v.toDouble());
    return std::string("double:") + buf;
  }
  if (v.isNone()) return "none:";
  throw Error(std::string("OutputArchive: cannot store an IValue of kind ") + v.tagKind());
}

IValue decode(const std::string& s) {
  const auto colon = s.find(':');
  const std::string kind = s.substr(0, colon), text = s.substr(colon + 1);
  if (kind == "int") return IValue(int64_t(std::stoll(text)));
  if (kind == "bool") return IValue(text == "1");
  if (kind == "string") return IValue(text);
  if (kind == "double") return IValue(std::stod(text));
  return IValue();
}

void flatten(const ArchiveNode& node, const std::string& prefix, safetensors::NamedTensors& tensors,
             Metadata& meta) {
  std::string keys;
  for (const auto& e : node.entries) {
    keys += (keys.empty() ? "" : "\n") + e.key;
    const std::string path = join(prefix, e.key);
    switch (e.kind) {
      case ArchiveNode::Kind::Tensor:
        tensors.emplace_back(path, e.tensor.detach().contiguous());
        break;
      case ArchiveNode::Kind::Value:
        meta[kValue + path] = encode(e.value);
        break;
      case ArchiveNode::Kind::Archive:
        flatten(*e.child, path, tensors, meta);
        break;
    }
  }
  meta[kKeys + prefix] = keys;
}

// The node at a dotted path, made (with its parents) if absent.
ArchiveNode& node_at(ArchiveNode& root, const std::string& path) {
  ArchiveNode* node = &root;
  size_t begin = 0;
  while (begin < path.size()) {
    size_t dot = path.find('.', begin);
    if (dot == std::string::npos) dot = path.size();
    node = &node->child_at(path.substr(begin, dot - begin));
    begin = dot + 1;
  }
  return *node;
}

std::shared_ptr<ArchiveNode> unflatten(safetensors::NamedTensors tensors, const Metadata& meta) {
  auto root = std::make_shared<ArchiveNode>();
  std::map<std::string, Tensor> by_name;
  for (auto& [name, t] : tensors) by_name.emplace(name, std::move(t));
  bool described = false;
  for (const auto& [k, keys] : meta) {
    if (k.rfind(kKeys, 0) != 0) continue;
    described = true;
    const std::string prefix = k.substr(sizeof kKeys - 1);
    ArchiveNode& node = node_at(*root, prefix);
    std::istringstream lines(keys);
    for (std::string key; std::getline(lines, key);) {
      const std::string path = join(prefix, key);
      if (auto t = by_name.find(path); t != by_name.end()) {
        node.put(key, ArchiveNode::Kind::Tensor).tensor = t->second;
      } else if (auto v = meta.find(kValue + path); v != meta.end()) {
        node.put(key, ArchiveNode::Kind::Value).value = decode(v->second);
      } else {
        node.child_at(key);
      }
    }
  }
  if (!described) {  // a plain safetensors file: the tree from the dotted names
    for (auto& [name, t] : tensors) {
      const auto dot = name.rfind('.');
      ArchiveNode& node = dot == std::string::npos ? *root : node_at(*root, name.substr(0, dot));
      node.put(dot == std::string::npos ? name : name.substr(dot + 1), ArchiveNode::Kind::Tensor)
          .tensor = by_name.at(name);
    }
  }
  return root;
}

std::string to_bytes(const ArchiveNode& node) {
  safetensors::NamedTensors tensors;
  Metadata meta{{"format", "pt"}};
  flatten(node, "", tensors, meta);
  std::ostringstream out;
  safetensors::write(tensors, out, meta, "OutputArchive");
  return out.str();
}

std::shared_ptr<ArchiveNode> from_stream(std::istream& in, const std::string& ctx) {
  Metadata meta;
  auto tensors = safetensors::read(in, &meta, ctx);
  return unflatten(std::move(tensors), meta);
}
}  // namespace
}  // namespace detail

using detail::ArchiveNode;

OutputArchive::OutputArchive() : node_(std::make_shared<ArchiveNode>()) {}

void OutputArchive::write(const std::string& key, const Tensor& tensor, bool) {
  node_->put(key, ArchiveNode::Kind::Tensor).tensor = tensor;
}
void OutputArchive::write(const std::string& key, const IValue& ivalue) {
  node_->put(key, ArchiveNode::Kind::Value).value = ivalue;
}
void OutputArchive::write(const std::string& key, OutputArchive& nested_archive) {
  node_->put(key, ArchiveNode::Kind::Archive).child = nested_archive.node_;
}

void OutputArchive::save_to(const std::string& filename) {
  std::ofstream out(filename, std::ios::binary | std::ios::trunc);
  if (!out) throw Error("OutputArchive::save_to: cannot open '" + filename + "' for writing");
  save_to(out);
  if (!out) throw Error("OutputArchive::save_to: writing '" + filename + "' failed");
}
void OutputArchive::save_to(std::ostream& stream) {
  const std::string bytes = detail::to_bytes(*node_);
  stream.write(bytes.data(), std::streamsize(bytes.size()));
}
void OutputArchive::save_to(const std::function<size_t(const void*, size_t)>& func) {
  const std::string bytes = detail::to_bytes(*node_);
  size_t done = 0;
  while (done < bytes.size()) {
    const size_t n = func(bytes.data() + done, bytes.size() - done);
    if (n == 0) throw Error("OutputArchive::save_to: the writer function wrote nothing");
    done += n;
  }
}

InputArchive::InputArchive() : node_(std::make_shared<ArchiveNode>()) {}

bool InputArchive::try_read(const std::string& key, Tensor& tensor, bool) {
  auto* e = node_->find(key);
  if (!e || e->kind != ArchiveNode::Kind::Tensor) return false;
  if (tensor.defined()) {
    NoGradGuard no_grad;
    nn::detail::set_data(tensor, e->tensor.clone());
  } else {
    tensor = e->tensor.clone();
  }
  return true;
}
void InputArchive::read(const std::string& key, Tensor& tensor, bool is_buffer) {
  TORCH_CHECK(try_read(key, tensor, is_buffer), "No such serialized tensor '", hierarchy_prefix_,
              key, "'");
}

bool InputArchive::try_read(const std::string& key, IValue& ivalue) {
  auto* e = node_->find(key);
  if (!e) return false;
  if (e->kind == ArchiveNode::Kind::Value)
    ivalue = e->value;
  else if (e->kind == ArchiveNode::Kind::Tensor)
    ivalue = IValue(e->tensor);
  else
    return false;
  return true;
}
void InputArchive::read(const std::string& key, IValue& ivalue) {
  TORCH_CHECK(try_read(key, ivalue), "Module 'Module' does not have a field with name '", key, "'");
}

bool InputArchive::try_read(const std::string& key, InputArchive& archive) {
  auto* e = node_->find(key);
  if (!e || e->kind != ArchiveNode::Kind::Archive) return false;
  archive.node_ = e->child;
  archive.hierarchy_prefix_ = hierarchy_prefix_ + key + ".";
  return true;
}
void InputArchive::read(const std::string& key, InputArchive& archive) {
  TORCH_CHECK(try_read(key, archive), "No such serialized submodule: '", hierarchy_prefix_, key,
              "'");
}

void InputArchive::load_from(const std::string& filename, optional<Device> device) {
  if (device) check_cpu(*device, "InputArchive::load_from");
  std::ifstream in(filename, std::ios::binary);
  if (!in) throw Error("InputArchive::load_from: cannot open '" + filename + "' for reading");
  node_ = detail::from_stream(in, "InputArchive::load_from: '" + filename + "'");
  hierarchy_prefix_.clear();
}
void InputArchive::load_from(std::istream& stream, optional<Device> device) {
  if (device) check_cpu(*device, "InputArchive::load_from");
  node_ = detail::from_stream(stream, "InputArchive::load_from");
  hierarchy_prefix_.clear();
}
void InputArchive::load_from(const char* data, size_t size, optional<Device> device) {
  std::istringstream in(std::string(data, size));
  load_from(in, device);
}
void InputArchive::load_from(
    const std::function<size_t(uint64_t pos, void* buf, size_t nbytes)>& read_func,
    const std::function<size_t(void)>& size_func, optional<Device> device) {
  std::string bytes(size_func(), '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    const size_t n = read_func(done, bytes.data() + done, bytes.size() - done);
    if (n == 0) throw Error("InputArchive::load_from: the reader function returned no bytes");
    done += n;
  }
  load_from(bytes.data(), bytes.size(), device);
}

std::vector<std::string> InputArchive::keys() {
  std::vector<std::string> result;
  for (const auto& e : node_->entries) result.push_back(e.key);
  return result;
}

}  // namespace serialize
}  // namespace tg
