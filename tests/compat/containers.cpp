// AnyModule, Sequential of any types, Cloneable, ModuleDict / ParameterDict / ParameterList,
// parameters_to_vector and save/load round trips through streams: the same source on both
// libraries. Strings (printouts, error messages) are checked in the program and emitted as 1/0.
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "shim.hpp"

namespace nn = torch::nn;
using torch::Tensor;

namespace {

struct Affine : nn::Module {
  explicit Affine(double k_) : k(k_) {}
  Tensor forward(Tensor x, double shift = 0.5) { return x * k + shift; }
  double k;

 protected:
  FORWARD_HAS_DEFAULT_ARGS({1, nn::AnyValue(0.5)})
};

struct Count : nn::Module {
  int64_t forward(Tensor x) { return x.numel(); }
};

struct Net : nn::Cloneable<Net> {
  Net() { reset(); }
  void reset() override {
    fc = register_module("fc", nn::Linear(3, 2));
    w = register_parameter("w", torch::ones({2}));
    b = register_buffer("b", torch::zeros({1}));
  }
  nn::Linear fc{nullptr};
  Tensor w, b;
};

template <typename F>
double throws_with(F f, const std::string& want) {
  try {
    f();
  } catch (const std::exception& e) {
    return std::string(e.what()).find(want) != std::string::npos ? 1.0 : 0.0;
  }
  return 0.0;
}

double flag(bool b) { return b ? 1.0 : 0.0; }

}  // namespace

int main() {
  // AnyModule and Sequential: the default argument is filled in, values pass between modules.
  nn::AnyModule any(Affine(2.0));
  emit("any/one_arg", any.forward(det({2, 2})));
  emit("any/two_args", any.forward(det({2, 2}), 1.0));
  emit("any/wrong_type", torch::tensor(throws_with([&] { any.forward(det({2}), 1); },
                                                   "Expected argument #1 to be of type double")));
  emit("any/too_many", torch::tensor(throws_with([&] { any.forward(det({2}), 1.0, 2.0); },
                                                 "argument(s) and at most 2 argument(s)")));
  nn::Sequential seq(Affine(2.0), Affine(-1.0), Count());
  emit("sequential/count", torch::tensor(seq->forward<int64_t>(det({3, 4}))));
  nn::Sequential layers(nn::Linear(4, 3), nn::ReLU(), Affine(0.5));
  {
    torch::NoGradGuard no_grad;
    for (auto& p : layers->parameters()) p.copy_(det(p.sizes().vec(), 0.4, 0.3));
  }
  emit("float32/sequential/layers", layers->forward(det({2, 4}).to(torch::kFloat)));

  // Cloneable: values copied, storage not shared; the Linear child too.
  auto a = std::make_shared<Net>();
  {
    torch::NoGradGuard no_grad;
    for (auto& p : a->parameters()) p.copy_(det(p.sizes().vec(), 1.0, 0.2));
  }
  auto b = std::dynamic_pointer_cast<Net>(a->clone());
  {
    torch::NoGradGuard no_grad;
    for (auto& p : a->parameters()) p.add_(10);
  }
  for (const auto& p : b->named_parameters()) emit("clone/" + p.key(), p.value());
  emit("clone/fc_member_is_registered",
       torch::tensor(flag(b->fc->weight.data_ptr<float>() ==
                          b->named_parameters()["fc.weight"].data_ptr<float>())));

  // ModuleDict, ParameterDict, ParameterList.
  nn::ModuleDict dict(std::vector<std::pair<std::string, std::shared_ptr<nn::Module>>>{
      {"fc", nn::Linear(2, 3).ptr()}, {"act", nn::ReLU().ptr()}});
  emit("moduledict/size", torch::tensor(int64_t(dict->size())));
  emit("moduledict/params", torch::tensor(int64_t(dict->parameters().size())));
  emit("moduledict/missing", torch::tensor(throws_with([&] { dict["x"]; }, " 'x' is not defined")));
  torch::OrderedDict<std::string, Tensor> params = {{"a", det({2})}, {"b", det({2, 1}, 2.0)}};
  nn::ParameterDict pd(params);
  std::ostringstream pds;
  pds << pd;
  emit("parameterdict/print",
       torch::tensor(flag(pds.str() ==
                          "torch::nn::ParameterDict(\n(a): Parameter containing: [Double of size "
                          "[2]]\n(b): Parameter containing: [Double of size [2, 1]]\n)")));
  emit("parameterdict/b", pd["b"]);
  nn::ParameterList list(det({3}), det({1, 2}, 3.0));
  emit("parameterlist/1", list[1]);
  emit("parameterlist/range",
       torch::tensor(throws_with([&] { list->at(7); }, "Index out of range")));

  // parameters_to_vector / vector_to_parameters.
  nn::Linear fc(2, 2);
  nn::utils::vector_to_parameters(torch::arange(6, torch::kFloat), fc->parameters());
  emit("utils/weight", fc->weight);
  emit("utils/vector", nn::utils::parameters_to_vector(fc->parameters()));

  // Round trips through streams.
  std::stringstream tensors;
  torch::save(std::vector<Tensor>{det({2, 3}), det({1}, 5.0)}, tensors);
  std::vector<Tensor> back;
  torch::load(back, tensors);
  emit("save/vector0", back.at(0));
  emit("save/vector1", back.at(1));
  std::stringstream module;
  torch::save(fc, module);
  nn::Linear fc2(2, 2);
  torch::load(fc2, module);
  emit("save/module_weight", fc2->weight);
  emit("save/module_bias", fc2->bias);
  return 0;
}
