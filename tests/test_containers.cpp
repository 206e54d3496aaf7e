#include <doctest/doctest.h>

#include "helpers.hpp"
#include "tapegrad.hpp"

using test::contains;
using test::error_of;

// AnyModule / AnyValue, Cloneable, ModuleDict / ParameterDict / ParameterList, archives and
// tg::save / tg::load of tensors and modules through streams (libtorch's forms).

#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

using tg::Tensor;
namespace nn = tg::nn;

struct TwoArgs : nn::Module {
  std::string forward(int x, const double f) { return std::to_string(static_cast<int>(x + f)); }
};

struct WithDefaults : nn::Module {
  double forward(int a, int b = 2, double c = 3.0) { return a + b + c; }

 protected:
  FORWARD_HAS_DEFAULT_ARGS({1, nn::AnyValue(2)}, {2, nn::AnyValue(3.0)})
};

struct Scaled : nn::Cloneable<Scaled> {
  Scaled() { reset(); }
  void reset() override {
    weight = register_parameter("weight", tg::ones({2}));
    buf = register_buffer("buf", tg::zeros({1}));
  }
  Tensor weight, buf;
};

struct Outer : nn::Cloneable<Outer> {
  Outer() { reset(); }
  void reset() override { inner = register_module("inner", std::make_shared<Scaled>()); }
  std::shared_ptr<Scaled> inner;
};

}  // namespace

TEST_CASE("AnyModule: any argument and return types, checked at the call") {
  nn::AnyModule any(TwoArgs{});
  CHECK(any.forward<std::string>(4, 3.14) == "7");
  CHECK(contains(error_of([&] { any.forward<std::string>(4.0, 3.14); }),
                 "Expected argument #0 to be of type int, but received value of type double"));
  CHECK(contains(error_of([&] { any.forward<std::string>(4); }),
                 "TwoArgs's forward() method expects 2 argument(s), but received 1. If "));
  CHECK(contains(error_of([&] { any.forward<int>(4, 3.0); }),
                 "Attempted to cast AnyValue to int, but its actual type is std::"));
  CHECK(any.type_info() == typeid(TwoArgs));

  nn::AnyModule defaults(WithDefaults{});
  CHECK(defaults.forward<double>(1) == 6.0);
  CHECK(defaults.forward<double>(1, 3) == 7.0);
  CHECK(defaults.forward<double>(1, 3, 5.0) == 9.0);
  CHECK(contains(error_of([&] { defaults.forward(); }),
                 "expects at least 1 argument(s) and at most 3 argument(s), but received 0."));

  nn::AnyModule empty;
  CHECK(empty.is_empty());
  CHECK(error_of([&] { empty.ptr(); }) == "Cannot call ptr() on an empty AnyModule");

  nn::AnyModule linear(nn::Linear(3, 4));
  CHECK(linear.get<nn::Linear>()->options.out_features() == 4);
  CHECK(contains(error_of([&] { linear.get<nn::ReLUImpl>(); }),
                 "Attempted to cast module of type tg::nn::LinearImpl to type tg::nn::ReLUImpl"));
  CHECK(linear.forward(tg::ones({2, 3})).sizes() == tg::IntArrayRef({2, 4}));
}

TEST_CASE("AnyValue holds decayed types") {
  nn::AnyValue v(5);
  CHECK(v.try_get<int>() != nullptr);
  CHECK(v.try_get<long>() == nullptr);
  CHECK(v.get<int>() == 5);
  nn::AnyValue s("hello");
  CHECK(s.type_info() == typeid(const char*));
  CHECK(error_of([&] { v.get<float>(); }) ==
        "Attempted to cast AnyValue to float, but its actual type is int");
}

TEST_CASE("Sequential passes any values between its modules") {
  struct Half : nn::Module {
    double forward(double x) { return x / 2; }
  };
  nn::Sequential seq(Half{}, Half{});
  CHECK(seq->forward<double>(8.0) == 2.0);
  CHECK(contains(error_of([&] { seq->forward<int>(8.0); }),
                 "The type of the return value is double, but you asked for type int"));
}

TEST_CASE("Cloneable: clone copies parameters, buffers and children") {
  auto a = std::make_shared<Outer>();
  {
    tg::NoGradGuard no_grad;
    a->inner->weight.add_(1);
  }
  auto b = std::dynamic_pointer_cast<Outer>(a->clone());
  REQUIRE(b != nullptr);
  CHECK(b->inner->weight.raw_data() != a->inner->weight.raw_data());
  CHECK(b->inner->weight.raw_data() == b->named_parameters()["inner.weight"].raw_data());
  CHECK(b->inner->weight.sum().item<float>() == 4.0f);
  CHECK(b->inner->weight.requires_grad());
  struct Plain : nn::Module {};
  CHECK(contains(error_of([] { Plain().clone(); }), "clone() has not been implemented for "));
}

TEST_CASE("ModuleDict, ParameterDict, ParameterList") {
  nn::ModuleDict dict(std::vector<std::pair<std::string, std::shared_ptr<nn::Module>>>{
      {"fc", nn::Linear(2, 3).ptr()}, {"act", nn::ReLU().ptr()}});
  CHECK(dict->keys() == std::vector<std::string>{"fc", "act"});
  CHECK(dict->at<nn::LinearImpl>("fc").options.in_features() == 2);
  CHECK(dict->named_parameters().keys() == std::vector<std::string>{"fc.weight", "fc.bias"});
  CHECK(contains(error_of([&] { dict["x"]; }), " 'x' is not defined"));
  dict->pop("act");
  CHECK(dict->size() == 1);

  tg::OrderedDict<std::string, Tensor> params = {{"a", tg::tensor({1.0})},
                                                 {"b", tg::tensor({{3.0}, {2.1}})}};
  nn::ParameterDict pd(params);
  std::ostringstream s;
  s << pd;
  CHECK(s.str() ==
        "torch::nn::ParameterDict(\n(a): Parameter containing: [Float of size [1]]\n"
        "(b): Parameter containing: [Float of size [2, 1]]\n)");
  CHECK(contains(error_of([&] { pd->pop("z"); }), " 'z' is not defined"));  // "Key", as libtorch

  nn::ParameterList list(tg::ones({2}), tg::zeros({1, 2}, tg::requires_grad(true)));
  CHECK(list->size() == 2);
  CHECK(!list[0].requires_grad());
  CHECK(list[1].requires_grad());
  CHECK(contains(error_of([&] { list->at(5); }), "Index out of range"));
}

TEST_CASE("Archives and tg::save / tg::load through streams") {
  tg::serialize::OutputArchive out;
  out.write("step", tg::IValue(int64_t(3)));
  out.write("w", tg::tensor({1.0, 2.0}));
  tg::serialize::OutputArchive sub;
  sub.write("b", tg::tensor({5.0}));
  out.write("sub", sub);
  std::stringstream stream;
  out.save_to(stream);

  tg::serialize::InputArchive in;
  in.load_from(stream);
  CHECK(in.keys() == std::vector<std::string>{"step", "w", "sub"});
  tg::IValue step;
  in.read("step", step);
  CHECK(step.toInt() == 3);
  tg::serialize::InputArchive in_sub;
  CHECK(in.try_read("sub", in_sub));
  Tensor b;
  in_sub.read("b", b);
  CHECK(b.item<double>() == 5.0);
  CHECK(error_of([&] { in_sub.read("c", b); }) == "No such serialized tensor 'sub.c'");
  CHECK(contains(error_of([&] { in.read("nope", step); }), "does not have a field with name"));

  std::vector<Tensor> xs = {tg::ones({1, 2}), tg::zeros({3})};
  std::stringstream vs;
  tg::save(xs, vs);
  std::vector<Tensor> ys;
  tg::load(ys, vs);
  REQUIRE(ys.size() == 2);
  CHECK(ys[1].sizes() == tg::IntArrayRef({3}));

  // A module: its tensors are loaded in place, so the member handles see them.
  nn::Linear a(2, 1), c(2, 1);
  std::stringstream ms;
  tg::save(a, ms);
  tg::load(c, ms);
  CHECK(tg::equal(a->weight, c->weight));
  CHECK(c->weight.raw_data() == c->named_parameters()["weight"].raw_data());

  auto file = tg::make_tempfile();
  tg::save(tg::tensor({7.0}), file.name);
  Tensor t;
  tg::load(t, file.name);
  CHECK(t.item<double>() == 7.0);
}

TEST_CASE("parameters_to_vector and vector_to_parameters") {
  nn::Linear fc(2, 2);
  Tensor v = nn::utils::parameters_to_vector(fc->parameters());
  CHECK(v.sizes() == tg::IntArrayRef({6}));
  nn::utils::vector_to_parameters(tg::arange(6, tg::kFloat), fc->parameters());
  CHECK(fc->weight.sum().item<float>() == 6.0f);  // 0 + 1 + 2 + 3
  CHECK(fc->bias.sum().item<float>() == 9.0f);    // 4 + 5
  CHECK(fc->weight.requires_grad());
}
