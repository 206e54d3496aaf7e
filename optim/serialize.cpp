#include "serialize.hpp"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <typeinfo>

namespace tg {

namespace {
using optim::FieldVisitor;
using Metadata = std::map<std::string, std::string>;

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Writes fields under `prefix`: tensors into `tensors`, everything else into `meta`.
struct Writer : FieldVisitor {
  std::string prefix;
  safetensors::NamedTensors& tensors;
  Metadata& meta;
  Writer(std::string p, safetensors::NamedTensors& t, Metadata& m)
      : prefix(std::move(p)), tensors(t), meta(m) {}
  void put(const std::string& name, std::string v) { meta[prefix + name] = std::move(v); }
  void operator()(const std::string& n, double& v) override { put(n, number(v)); }
  void operator()(const std::string& n, int64_t& v) override { put(n, std::to_string(v)); }
  void operator()(const std::string& n, bool& v) override { put(n, v ? "true" : "false"); }
  void operator()(const std::string& n, std::optional<int64_t>& v) override {
    put(n, v ? std::to_string(*v) : "none");
  }
  void operator()(const std::string& n, std::optional<std::string>& v) override {
    put(n, v ? "=" + *v : "none");  // "=" marks a present value, so "none" stays distinct
  }
  void operator()(const std::string& n, Tensor& v) override {
    if (v.defined()) tensors.emplace_back(prefix + n, v.detach().contiguous());
  }
  void operator()(const std::string& n, std::deque<Tensor>& v) override {
    put(n + ".size", std::to_string(v.size()));
    for (size_t i = 0; i < v.size(); ++i) (*this)(n + "." + std::to_string(i), v[i]);
  }
  void operator()(const std::string& n, std::optional<std::vector<Tensor>>& v) override {
    put(n + ".size", v ? std::to_string(v->size()) : "none");
    if (v)
      for (size_t i = 0; i < v->size(); ++i) (*this)(n + "." + std::to_string(i), (*v)[i]);
  }
};

// Reads fields back from `prefix`; a missing number or flag is an error, a missing tensor is
// an undefined one.
struct Reader : FieldVisitor {
  std::string prefix, path;
  const std::map<std::string, Tensor>& tensors;
  const Metadata& meta;
  Reader(std::string p, std::string f, const std::map<std::string, Tensor>& t, const Metadata& m)
      : prefix(std::move(p)), path(std::move(f)), tensors(t), meta(m) {}
  [[noreturn]] void bad(const std::string& n, const std::string& what) const {
    throw Error("tg::load(optimizer): '" + path + "': " + what + " for '" + prefix + n + "'");
  }
  const std::string& get(const std::string& n) const {
    auto it = meta.find(prefix + n);
    if (it == meta.end()) bad(n, "no metadata entry");
    return it->second;
  }
  int64_t integer(const std::string& n) const {
    const std::string& s = get(n);
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end) bad(n, "not an integer ('" + s + "')");
    return v;
  }
  void operator()(const std::string& n, double& v) override {
    const std::string& s = get(n);
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (s.empty() || *end) bad(n, "not a number ('" + s + "')");
    v = d;
  }
  void operator()(const std::string& n, int64_t& v) override { v = integer(n); }
  void operator()(const std::string& n, bool& v) override {
    const std::string& s = get(n);
    if (s != "true" && s != "false") bad(n, "not true/false ('" + s + "')");
    v = s == "true";
  }
  void operator()(const std::string& n, std::optional<int64_t>& v) override {
    if (get(n) == "none")
      v.reset();
    else
      v = integer(n);
  }
  void operator()(const std::string& n, std::optional<std::string>& v) override {
    const std::string& s = get(n);
    if (s == "none")
      v.reset();
    else if (!s.empty() && s[0] == '=')
      v = s.substr(1);
    else
      bad(n, "not a string entry ('" + s + "')");
  }
  void operator()(const std::string& n, Tensor& v) override {
    auto it = tensors.find(prefix + n);
    v = it == tensors.end() ? Tensor() : it->second;
  }
  size_t count(const std::string& n) const {
    const int64_t size = integer(n + ".size");
    if (size < 0 || size > int64_t(1) << 20) bad(n, "implausible list size");
    return size_t(size);
  }
  void operator()(const std::string& n, std::deque<Tensor>& v) override {
    v.assign(count(n), Tensor());
    for (size_t i = 0; i < v.size(); ++i) (*this)(n + "." + std::to_string(i), v[i]);
  }
  void operator()(const std::string& n, std::optional<std::vector<Tensor>>& v) override {
    if (get(n + ".size") == "none") {
      v.reset();
      return;
    }
    v = std::vector<Tensor>(count(n));
    for (size_t i = 0; i < v->size(); ++i) (*this)(n + "." + std::to_string(i), (*v)[i]);
  }
};

std::string group_prefix(size_t g) { return "group." + std::to_string(g) + "."; }
std::string state_prefix(size_t g, size_t j) {
  return "state." + std::to_string(g) + "." + std::to_string(j) + ".";
}
}  // namespace

// The visitors take non-const fields so one field list serves both directions; Writer only
// reads them.
void save(const optim::Optimizer& optimizer, const std::string& path) {
  safetensors::NamedTensors tensors;
  Metadata meta;
  meta["format"] = "tapegrad optimizer state 1";
  meta["options_type"] = typeid(optimizer.defaults()).name();
  meta["param_groups"] = std::to_string(optimizer.param_groups().size());
  const auto& groups = optimizer.param_groups();
  for (size_t g = 0; g < groups.size(); ++g) {
    meta[group_prefix(g) + "size"] = std::to_string(groups[g].params().size());
    Writer w(group_prefix(g), tensors, meta);
    const_cast<optim::OptimizerOptions&>(groups[g].options()).visit_fields(w);
    for (size_t j = 0; j < groups[g].params().size(); ++j) {
      auto it = optimizer.state().find(optim::Optimizer::state_key(groups[g].params()[j]));
      if (it == optimizer.state().end()) continue;
      meta[state_prefix(g, j) + "type"] = typeid(*it->second).name();
      Writer ws(state_prefix(g, j), tensors, meta);
      it->second->visit_fields(ws);
    }
  }
  safetensors::save_file(tensors, path, meta);
}

void load(optim::Optimizer& optimizer, const std::string& path) {
  Metadata meta;
  std::map<std::string, Tensor> tensors;
  for (auto& [name, t] : safetensors::load_file(path, &meta)) tensors[name] = t;
  auto expect = [&](const std::string& key, const std::string& want) {
    auto it = meta.find(key);
    const std::string got = it == meta.end() ? "<missing>" : it->second;
    if (got != want)
      throw Error("tg::load(optimizer): '" + path + "': " + key + " is " + got + ", expected " +
                  want);
  };
  expect("format", "tapegrad optimizer state 1");
  expect("options_type", typeid(optimizer.defaults()).name());
  auto& groups = optimizer.param_groups();
  expect("param_groups", std::to_string(groups.size()));
  // Read everything into copies first, so a bad file leaves the optimizer as it was.
  std::vector<std::unique_ptr<optim::OptimizerOptions>> options;
  optim::Optimizer::StateMap state;
  for (size_t g = 0; g < groups.size(); ++g) {
    expect(group_prefix(g) + "size", std::to_string(groups[g].params().size()));
    options.push_back(groups[g].options().clone());
    Reader r(group_prefix(g), path, tensors, meta);
    options.back()->visit_fields(r);
    for (size_t j = 0; j < groups[g].params().size(); ++j) {
      const Tensor& p = groups[g].params()[j];
      if (!meta.count(state_prefix(g, j) + "type")) continue;
      auto s = optimizer.make_param_state();
      expect(state_prefix(g, j) + "type", typeid(*s).name());
      Reader rs(state_prefix(g, j), path, tensors, meta);
      s->visit_fields(rs);
      state[optim::Optimizer::state_key(p)] = std::move(s);
    }
  }
  for (size_t g = 0; g < groups.size(); ++g) groups[g].set_options(std::move(options[g]));
  optimizer.state() = std::move(state);
}

}  // namespace tg
