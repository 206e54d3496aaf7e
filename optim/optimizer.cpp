#include "optimizer.hpp"

#include <cstdio>
#include <sstream>
#include <unordered_set>

#include "../autograd/tensor_impl.hpp"
#include "fused.hpp"

namespace tg::optim {

std::unique_ptr<OptimizerParamState> OptimizerParamState::clone() const {
  throw Error(
      "OptimizerParamState::clone: subclasses must implement clone() (derive from "
      "OptimizerCloneableParamState<Derived>)");
}

void OptimizerParamState::visit_fields(FieldVisitor&) {
  throw Error("OptimizerParamState: this state type does not list its fields (visit_fields)");
}
void OptimizerOptions::visit_fields(FieldVisitor&) {
  throw Error("OptimizerOptions: this options type does not list its fields (visit_fields)");
}
std::unique_ptr<OptimizerParamState> Optimizer::make_param_state() const {
  throw Error("Optimizer: this optimizer does not define make_param_state()");
}

std::unique_ptr<OptimizerOptions> OptimizerOptions::clone() const {
  throw Error(
      "OptimizerOptions::clone: subclasses must implement clone() (derive from "
      "OptimizerCloneableOptions<Derived>)");
}
double OptimizerOptions::get_lr() const {
  throw Error("OptimizerOptions::get_lr: this optimizer's options do not define a learning rate");
}
void OptimizerOptions::set_lr(double) {
  throw Error("OptimizerOptions::set_lr: this optimizer's options do not define a learning rate");
}

FieldVisitor::~FieldVisitor() = default;
OptimizerParamState::~OptimizerParamState() = default;
OptimizerOptions::~OptimizerOptions() = default;

OptimizerParamGroup::OptimizerParamGroup(const OptimizerParamGroup& other)
    : params_(other.params()), options_(other.has_options() ? other.options().clone() : nullptr) {}
OptimizerParamGroup::OptimizerParamGroup(OptimizerParamGroup&&) noexcept = default;
OptimizerParamGroup& OptimizerParamGroup::operator=(OptimizerParamGroup&&) noexcept = default;
OptimizerParamGroup::OptimizerParamGroup(std::vector<Tensor> params) : params_(std::move(params)) {}
OptimizerParamGroup::OptimizerParamGroup(std::vector<Tensor> params,
                                         std::unique_ptr<OptimizerOptions> options)
    : params_(std::move(params)), options_(std::move(options)) {}
OptimizerParamGroup::~OptimizerParamGroup() = default;

OptimizerParamGroup& OptimizerParamGroup::operator=(const OptimizerParamGroup& other) {
  if (this != &other) {
    params_ = other.params_;
    options_ = other.has_options() ? other.options().clone() : nullptr;
  }
  return *this;
}

OptimizerOptions& OptimizerParamGroup::options() {
  if (!options_) throw Error("OptimizerParamGroup: this group has no options");
  return *options_;
}
const OptimizerOptions& OptimizerParamGroup::options() const {
  if (!options_) throw Error("OptimizerParamGroup: this group has no options");
  return *options_;
}

Optimizer::~Optimizer() = default;

Optimizer::Optimizer(std::vector<OptimizerParamGroup> param_groups,
                     std::unique_ptr<OptimizerOptions> defaults)
    : defaults_(std::move(defaults)) {
  if (!defaults_) throw Error("Optimizer: default options must not be null");
  for (const auto& group : param_groups) add_param_group(group);
}

Optimizer::Optimizer(std::vector<Tensor> parameters, std::unique_ptr<OptimizerOptions> defaults)
    : Optimizer(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(parameters))},
                std::move(defaults)) {}

std::string Optimizer::state_key(const Tensor& param) {
  // The text `ostream << (void*)p` gives ("0x..."); snprintf, as every step looks keys up and a
  // stringstream costs more than a small model's whole update.
  char buf[2 + 2 * sizeof(void*) + 1];
  std::snprintf(buf, sizeof buf, "%p", static_cast<const void*>(param.unsafeGetTensorImpl()));
  return buf;
}

void Optimizer::add_param_group(const OptimizerParamGroup& param_group) {
  std::unordered_set<const void*> seen;
  for (const auto& group : param_groups_)
    for (const auto& p : group.params()) seen.insert(p.unsafeGetTensorImpl());
  for (size_t i = 0; i < param_group.params().size(); ++i) {
    const Tensor& p = param_group.params()[i];
    const std::string where =
        "parameter " + std::to_string(i) + " of group " + std::to_string(param_groups_.size());
    if (!p.defined()) throw Error("Optimizer::add_param_group: " + where + " is undefined");
    if (!p.is_leaf())
      throw Error("Optimizer::add_param_group: can't optimize a non-leaf Tensor (" + where +
                  ", shape " + to_string(p.sizes()) + ")");
    if (!p.is_floating_point())
      throw Error("Optimizer::add_param_group: " + where + " has dtype " +
                  dtype_name(p.scalar_type()) + "; only floating-point tensors can be optimized");
    // Two groups (or two entries) updating one tensor would apply the step twice.
    if (!seen.insert(p.unsafeGetTensorImpl()).second)
      throw Error(
          "Optimizer::add_param_group: some parameters appear in more than one parameter "
          "group (" +
          where + ", shape " + to_string(p.sizes()) + ")");
  }
  OptimizerParamGroup group(param_group.params());
  group.set_options(param_group.has_options() ? param_group.options().clone() : defaults_->clone());
  param_groups_.push_back(std::move(group));
}

// add_parameters(), parameters() and size() are libtorch's pre-1.5 interface: they still work,
// and warn every call as libtorch does.
void Optimizer::add_parameters(const std::vector<Tensor>& parameters) {
  TORCH_WARN("Optimizer::add_parameters() will be removed in PyTorch 1.6");
  if (param_groups_.empty()) {
    add_param_group(OptimizerParamGroup(parameters));
    return;
  }
  // Validate through add_param_group's checks, then merge into the first group.
  OptimizerParamGroup probe(parameters);
  add_param_group(probe);
  auto& first = param_groups_.front().params();
  auto& added = param_groups_.back().params();
  first.insert(first.end(), added.begin(), added.end());
  param_groups_.pop_back();
}

void Optimizer::zero_grad(bool set_to_none) {
  for (auto& group : param_groups_) {
    for (auto& p : group.params()) {
      Tensor& grad = p.mutable_grad();
      if (!grad.defined()) continue;
      if (set_to_none) {
        grad = Tensor();
      } else {
        grad = grad.detach();  // drop any create_graph history before zeroing in place
        grad.zero_();
      }
    }
  }
}

const std::vector<Tensor>& Optimizer::parameters() const {
  TORCH_WARN("Optimizer::parameters() will be removed in PyTorch 1.6");
  if (param_groups_.empty())
    throw Error("Optimizer::parameters: the optimizer has no parameter group");
  return param_groups_.front().params();
}
std::vector<Tensor>& Optimizer::parameters() {
  TORCH_WARN("Optimizer::parameters() will be removed in PyTorch 1.6");
  if (param_groups_.empty())
    throw Error("Optimizer::parameters: the optimizer has no parameter group");
  return param_groups_.front().params();
}

Tensor Optimizer::evaluate_closure(const LossClosure& closure) {
  if (!closure) return Tensor();
  AutoGradMode enable_grad(true);
  return closure();
}

namespace detail {
void check_option(bool ok, const char* optimizer, const char* what, double value,
                  const std::string& where) {
  if (ok) return;
  std::ostringstream s;
  s << optimizer << ": Invalid " << what << ": " << value << where;
  throw Error(s.str());
}

bool same_tensor(const Tensor& a, const Tensor& b) {
  return a.defined() == b.defined() && (!a.defined() || a.equal(b));
}

bool fusable(std::initializer_list<const Tensor*> ts) {
  const Tensor& first = **ts.begin();
  if (!first.defined() || !first.is_floating_point()) return false;
  const size_t bytes = size_t(first.numel()) * first.element_size();
  for (auto t = ts.begin(); t != ts.end(); ++t) {
    if (!(*t)->defined() || (*t)->scalar_type() != first.scalar_type() ||
        (*t)->numel() != first.numel())
      return false;
    for (auto u = ts.begin(); u != t; ++u) {
      auto* a = static_cast<const char*>((*t)->raw_data());
      auto* b = static_cast<const char*>((*u)->raw_data());
      if (a < b + bytes && b < a + bytes) return false;
    }
  }
  return true;
}

void bump_version(const Tensor& t) { ++t.unsafeGetTensorImpl()->storage->version; }
}  // namespace detail

size_t Optimizer::size() const noexcept {
  TORCH_WARN("Optimizer::size() will be removed in PyTorch 1.6");
  size_t n = 0;
  for (const auto& group : param_groups_) n += group.params().size();
  return n;
}

}  // namespace tg::optim
