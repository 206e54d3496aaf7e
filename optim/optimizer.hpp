// tg::optim::Optimizer: parameter groups, per-parameter state and the step/zero_grad protocol
// of libtorch's torch::optim::Optimizer.
//
// An optimizer keeps handles to the parameters (tg::Tensor shares storage, so updating them in
// place updates the model) split into groups; each group carries its own copy of the options,
// so groups can have different learning rates:
//   std::vector<tg::optim::OptimizerParamGroup> groups;
//   groups.emplace_back(body->parameters());                                     // defaults
//   groups.emplace_back(head->parameters(), std::make_unique<tg::optim::SGDOptions>(0.1));
//   tg::optim::SGD opt(groups, tg::optim::SGDOptions(0.01));
// State (e.g. SGD's momentum buffer) is keyed by the parameter's TensorImpl address in the same
// textual form as libtorch, so code indexing optimizer.state() keeps working.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../autograd/autograd.hpp"

namespace tg::optim {

// Walks the fields of an options struct or a parameter state by name. tg::save / tg::load of
// an optimizer (serialize.hpp) go through it, so each type lists its fields once, in
// visit_fields(). Undefined tensors are allowed (and stay undefined).
class FieldVisitor {
 public:
  virtual ~FieldVisitor();
  virtual void operator()(const std::string& name, double& v) = 0;
  virtual void operator()(const std::string& name, int64_t& v) = 0;
  virtual void operator()(const std::string& name, bool& v) = 0;
  virtual void operator()(const std::string& name, std::optional<int64_t>& v) = 0;
  virtual void operator()(const std::string& name, std::optional<std::string>& v) = 0;
  virtual void operator()(const std::string& name, Tensor& v) = 0;
  virtual void operator()(const std::string& name, std::deque<Tensor>& v) = 0;
  virtual void operator()(const std::string& name, std::optional<std::vector<Tensor>>& v) = 0;
  void operator()(const std::string& name, std::tuple<double, double>& v) {
    (*this)(name + ".0", std::get<0>(v));
    (*this)(name + ".1", std::get<1>(v));
  }
};

// Per-parameter state (momentum buffers, step counts); each optimizer derives its own.
class OptimizerParamState {
 public:
  virtual std::unique_ptr<OptimizerParamState> clone() const;
  virtual ~OptimizerParamState();
  // Every field, for serialization; the base throws tg::Error (not serializable).
  virtual void visit_fields(FieldVisitor& visit);
};

// clone() is defined out of the class, so it is not inline: each optimizer's header declares its
// instantiation `extern template` and its .cpp instantiates it, so programs that include the
// headers do not compile every optimizer's state copy (LBFGS's deques). A custom optimizer
// deriving from these templates still gets it instantiated implicitly.
template <typename Derived>
class OptimizerCloneableParamState : public OptimizerParamState {
  std::unique_ptr<OptimizerParamState> clone() const override;
};

template <typename Derived>
std::unique_ptr<OptimizerParamState> OptimizerCloneableParamState<Derived>::clone() const {
  return std::make_unique<Derived>(static_cast<const Derived&>(*this));
}

// Base of every optimizer's options. get_lr/set_lr let schedulers change the learning rate of
// any optimizer without knowing its options type.
class OptimizerOptions {
 public:
  virtual std::unique_ptr<OptimizerOptions> clone() const;
  virtual ~OptimizerOptions();
  virtual double get_lr() const;
  virtual void set_lr(double lr);
  // Every field, for serialization; the base throws tg::Error (not serializable).
  virtual void visit_fields(FieldVisitor& visit);
  // Convenience for `group.options().lr()` on the base type; each options struct's own
  // lr()/lr(v) (TG_ARG) hides these.
  double lr() const { return get_lr(); }
  OptimizerOptions& lr(double v) {
    set_lr(v);
    return *this;
  }
};

template <typename Derived>
class OptimizerCloneableOptions : public OptimizerOptions {
 private:
  std::unique_ptr<OptimizerOptions> clone() const override;
};

// Out of the class for the same reason as OptimizerCloneableParamState::clone.
template <typename Derived>
std::unique_ptr<OptimizerOptions> OptimizerCloneableOptions<Derived>::clone() const {
  return std::make_unique<Derived>(static_cast<const Derived&>(*this));
}

// A list of parameters and (once added to an optimizer, always) its own options.
class OptimizerParamGroup {
 public:
  // (Out of line, in optimizer.cpp, as are the destructors below: inline, they would be
  // compiled in every program that includes <tapegrad.hpp>.)
  OptimizerParamGroup(const OptimizerParamGroup& other);
  OptimizerParamGroup(OptimizerParamGroup&&) noexcept;
  OptimizerParamGroup& operator=(const OptimizerParamGroup& other);
  OptimizerParamGroup& operator=(OptimizerParamGroup&&) noexcept;
  OptimizerParamGroup(std::vector<Tensor> params);  // NOLINT
  OptimizerParamGroup(std::vector<Tensor> params, std::unique_ptr<OptimizerOptions> options);
  ~OptimizerParamGroup();

  bool has_options() const { return options_ != nullptr; }
  OptimizerOptions& options();
  const OptimizerOptions& options() const;
  void set_options(std::unique_ptr<OptimizerOptions> options) { options_ = std::move(options); }
  std::vector<Tensor>& params() { return params_; }
  const std::vector<Tensor>& params() const { return params_; }

 protected:
  std::vector<Tensor> params_;
  std::unique_ptr<OptimizerOptions> options_;
};

class Optimizer {
 public:
  using LossClosure = std::function<Tensor()>;
  using StateMap = std::unordered_map<std::string, std::unique_ptr<OptimizerParamState>>;

  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;
  Optimizer(Optimizer&&) = default;
  Optimizer& operator=(Optimizer&&) = default;
  // Groups without options get a copy of `defaults`.
  explicit Optimizer(std::vector<OptimizerParamGroup> param_groups,
                     std::unique_ptr<OptimizerOptions> defaults);
  explicit Optimizer(std::vector<Tensor> parameters, std::unique_ptr<OptimizerOptions> defaults);
  // Out of line: destroying the state map and the groups is compiled once, in optimizer.cpp.
  virtual ~Optimizer();

  // Throws tg::Error for a non-leaf or a non-floating parameter, or one already in a group.
  void add_param_group(const OptimizerParamGroup& param_group);
  // Appends to the first group.
  void add_parameters(const std::vector<Tensor>& parameters);

  // Updates the parameters from their .grad(); with a closure, first re-evaluates the loss
  // (grad mode on) and returns it. Parameters whose grad is undefined are skipped.
  virtual Tensor step(LossClosure closure = nullptr) = 0;

  // libtorch 1.13's Optimizer::zero_grad() zeroes the gradients in place; set_to_none=true
  // resets them instead (PyTorch 2's default). Either way the next backward starts from zero.
  void zero_grad(bool set_to_none = false);

  // The first group's parameters (as libtorch); throws tg::Error if there is no group.
  const std::vector<Tensor>& parameters() const;
  std::vector<Tensor>& parameters();
  // The number of parameters in all groups.
  size_t size() const noexcept;

  OptimizerOptions& defaults() noexcept { return *defaults_; }
  const OptimizerOptions& defaults() const noexcept { return *defaults_; }
  std::vector<OptimizerParamGroup>& param_groups() noexcept { return param_groups_; }
  const std::vector<OptimizerParamGroup>& param_groups() const noexcept { return param_groups_; }
  StateMap& state() noexcept { return state_; }
  const StateMap& state() const noexcept { return state_; }

  // The key of `param` in state(): its TensorImpl address, printed as libtorch does.
  static std::string state_key(const Tensor& param);

  // A default-constructed state of this optimizer's type (for loading state from a file);
  // the base throws tg::Error. The optimizers override it out of line: an inline
  // make_unique<XParamState>() made every program that includes <tapegrad.hpp> compile the
  // construction and destruction of every state type (~20 MB of the compiler's memory).
  virtual std::unique_ptr<OptimizerParamState> make_param_state() const;

 protected:
  // Runs the closure, if any, with grad mode on (it runs a forward and a backward pass) and
  // returns its loss; an undefined tensor without a closure. Every step() starts with this.
  static Tensor evaluate_closure(const LossClosure& closure);

  // Checks the defaults and then every group's options with check(options, where), where
  // `where` is "" or " (parameter group i)"; throws tg::Error if a group's options are not
  // an `Options` (e.g. SGDOptions given to Adam). libtorch checks only the defaults; a bad
  // per-group value would silently diverge there, so tapegrad checks the groups too.
  template <class Options, class Check>
  void check_group_options(const char* optimizer, const Options& defaults, Check check) {
    check(defaults, std::string());
    for (size_t i = 0; i < param_groups_.size(); ++i) {
      auto* o = dynamic_cast<const Options*>(&param_groups_[i].options());
      if (!o)
        throw Error(std::string(optimizer) + ": the options of parameter group " +
                    std::to_string(i) + " are of another optimizer's type");
      check(*o, " (parameter group " + std::to_string(i) + ")");
    }
  }

  // The state of `param`, created with State's defaults on first use; `created` tells which.
  template <class State>
  State& param_state(const Tensor& param, bool* created = nullptr) {
    auto& slot = state_[state_key(param)];
    if (created) *created = slot == nullptr;
    if (!slot) slot = std::make_unique<State>();
    return static_cast<State&>(*slot);
  }

  std::vector<OptimizerParamGroup> param_groups_;
  StateMap state_;
  std::unique_ptr<OptimizerOptions> defaults_;
};

namespace detail {
// libtorch's option checks: throws tg::Error("<optimizer>: Invalid <what>: <value><where>"),
// e.g. "Adam: Invalid learning rate: -1", unless `ok`.
void check_option(bool ok, const char* optimizer, const char* what, double value,
                  const std::string& where);
// For the state types' operator==: both undefined, or equal shapes and values.
bool same_tensor(const Tensor& a, const Tensor& b);
}  // namespace detail

}  // namespace tg::optim
