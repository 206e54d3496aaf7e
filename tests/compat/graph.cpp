// Graph introspection, same source on both libraries: grad_fn()'s PyTorch names, is_leaf,
// output_nr and next_edges (the name of each edge's node and its input_nr), as exact text.
// Ops whose graph tapegrad records differently (composites such as mean, softmax and stack; view
// and t; README "Where tapegrad differs") are not listed here.
#include <iostream>

#include "shim.hpp"

static void show(const char* what, const torch::Tensor& t) {
  auto f = t.grad_fn();
  std::cout << what << ": " << (f ? f->name() : std::string("null")) << " leaf=" << t.is_leaf()
            << " out=" << t.output_nr();
  if (f) {
    std::cout << " edges=[";
    for (const auto& e : f->next_edges())
      std::cout << (e.function ? e.function->name() : std::string("null")) << ":" << e.input_nr
                << " ";
    std::cout << "]";
  }
  std::cout << "\n";
}

int main() {
  auto a = torch::rand({2, 3}).requires_grad_(true);
  auto b = torch::rand({2, 3}).requires_grad_(true);
  auto c = torch::rand({2, 3});
  auto w = torch::rand({3, 4}).requires_grad_(true);

  show("leaf", a);
  show("detach", a.detach());
  show("add", a + b);
  show("add_scalar", a + 1);
  show("add_nograd", a + c);
  show("sub", a - b);
  show("sub_scalar", a - 1);
  show("mul", a * b);
  show("mul_scalar", a * 2);
  show("div", a / b);
  show("div_scalar", a / 2);
  show("neg", -a);
  show("pow_tensor", a.pow(b));
  for (const char* name : {"exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "sqrt"}) {
    std::string n = name;
    auto y = n == "exp"       ? a.exp()
             : n == "log"     ? a.log()
             : n == "sin"     ? a.sin()
             : n == "cos"     ? a.cos()
             : n == "tanh"    ? a.tanh()
             : n == "sigmoid" ? a.sigmoid()
             : n == "relu"    ? a.relu()
             : n == "abs"     ? a.abs()
                              : a.sqrt();
    show(name, y);
  }
  show("rsqrt_chain", a.abs().rsqrt());
  show("square", a.square());
  show("sum", a.sum());
  show("sum_dim", a.sum(1));
  show("mm", a.mm(w));
  show("matmul", a.matmul(w));
  show("reshape", a.reshape({6}));
  show("flatten", a.flatten());
  show("transpose", a.transpose(0, 1));
  show("permute", a.permute({1, 0}));
  show("unsqueeze", a.unsqueeze(0));
  show("squeeze_dim", a.unsqueeze(0).squeeze(0));
  show("select", a[0]);
  show("narrow", a.narrow(1, 0, 2));
  show("cat", torch::cat({a, b}));
  show("max_all", a.max());
  show("max_dim", std::get<0>(a.max(1)));
  show("log_softmax", a.log_softmax(1));
  show("clamp", a.clamp(0, 1));
  show("expand", a.sum(0).expand({2, 3}));
  show("to_double", a.to(torch::kDouble));
  show("clone", a.clone());
  show("index_select", a.index_select(1, torch::tensor({0, 2})));
  auto parts = a.chunk(3, 1);
  show("chunk/1", parts[1]);
  show("split/1", a.split(1, 0)[1]);
  show("unbind/1", a.unbind(0)[1]);
  show("where", torch::where(c > 0.5, a, b));
  show("maximum", torch::maximum(a, b));
  auto leaf_edge = (a * 2).grad_fn()->next_edges()[0];
  std::cout << "accumulate_grad/variable_is_a "
            << (leaf_edge.function->name() == "torch::autograd::AccumulateGrad") << "\n";
  return 0;
}
