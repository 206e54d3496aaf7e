// Parameter-free layers that only reshape or wrap: Identity, Flatten, Unflatten and Functional
// (libtorch's names and options), so that such steps can sit in a Sequential.
//
//   tg::nn::Sequential net(tg::nn::Conv2d(1, 4, 3), tg::nn::Flatten(), tg::nn::Linear(144, 10));
//   tg::nn::Functional act(tg::relu);                 // any Tensor -> Tensor callable
//   tg::nn::Functional clip(tg::clamp_max, 6.0);   // extra args bound: clamp_max(x, 6.0)
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "cloneable.hpp"
#include "module.hpp"

namespace tg::nn {

// Returns its input; the constructor accepts and ignores any arguments (as libtorch's).
class IdentityImpl : public Cloneable<IdentityImpl> {
 public:
  template <typename... Args>
  explicit IdentityImpl(Args&&... /*ignored*/) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input) { return input; }
};
TG_MODULE(Identity);
extern template class detail::CloneableAs<IdentityImpl, Module>;

struct FlattenOptions {
  TG_ARG(int64_t, start_dim) = 1;
  TG_ARG(int64_t, end_dim) = -1;
};

// input.flatten(start_dim, end_dim): by default every dim but the batch dim.
class FlattenImpl : public Cloneable<FlattenImpl> {
 public:
  explicit FlattenImpl(const FlattenOptions& options_ = {}) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  FlattenOptions options;
};
TG_MODULE(Flatten);
extern template class detail::CloneableAs<FlattenImpl, Module>;

// libtorch's UnflattenOptions: a dim and its new sizes, or (named tensors) a dim name and
// (name, size) pairs. tapegrad has no named tensors: the named form prints, but forward throws.
struct UnflattenOptions {
  using namedshape_t = std::vector<std::pair<std::string, int64_t>>;
  UnflattenOptions(int64_t dim, std::vector<int64_t> sizes) : dim_(dim), sizes_(std::move(sizes)) {}
  UnflattenOptions(const char* dimname, namedshape_t namedshape)
      : dimname_(dimname), namedshape_(std::move(namedshape)) {}
  UnflattenOptions(std::string dimname, namedshape_t namedshape)
      : dimname_(std::move(dimname)), namedshape_(std::move(namedshape)) {}
  TG_ARG(int64_t, dim) = 0;
  TG_ARG(std::string, dimname);
  TG_ARG(std::vector<int64_t>, sizes);
  TG_ARG(namedshape_t, namedshape);
};

// input.unflatten(dim, sizes): splits one dim into several.
class UnflattenImpl : public Cloneable<UnflattenImpl> {
 public:
  UnflattenImpl(int64_t dim, std::vector<int64_t> sizes);
  UnflattenImpl(std::string dimname, UnflattenOptions::namedshape_t namedshape);
  explicit UnflattenImpl(UnflattenOptions options_);
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  UnflattenOptions options;
};
TG_MODULE(Unflatten);
extern template class detail::CloneableAs<UnflattenImpl, Module>;

// Wraps a function as a module. Extra constructor arguments are bound after the input:
// Functional(f, a, b) calls f(input, a, b).
class FunctionalImpl : public Cloneable<FunctionalImpl> {
 public:
  using Function = std::function<Tensor(Tensor)>;
  explicit FunctionalImpl(Function function);
  template <typename SomeFunction, typename... Args,
            typename = std::enable_if_t<(sizeof...(Args) > 0)>>
  explicit FunctionalImpl(SomeFunction original_function, Args&&... args)
      : FunctionalImpl(Function(
            std::bind(original_function, std::placeholders::_1, std::forward<Args>(args)...))) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(Tensor input);
  Tensor operator()(Tensor input) { return forward(std::move(input)); }
  bool is_serializable() const override { return false; }

 private:
  Function function_;
};
TG_MODULE(Functional);
extern template class detail::CloneableAs<FunctionalImpl, Module>;

}  // namespace tg::nn
