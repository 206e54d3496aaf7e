// Graph introspection as libtorch's C++ API has it: `y.grad_fn()` is the node that made y
// (null for a leaf), with PyTorch's name (`MulBackward0`, `MmBackward0`, ...) and next_edges()
// leading to the nodes of its inputs: another node, an `AccumulateGrad` for a leaf that
// requires grad, or an invalid edge for an input that needs no gradient.
//
//   auto y = (a * b).sum();
//   y.grad_fn()->name();                                     // "SumBackward0"
//   y.grad_fn()->next_edges()[0].function->name();           // "MulBackward0"
//
// A node is a view of a tape entry (autograd/tape.hpp), not a second graph: it reads the entry
// when asked and holds nothing alive. Where tapegrad records one entry for what libtorch
// records as several (linear is one entry, libtorch's t + addmm), the node is named after
// libtorch's outermost one and its edges are tapegrad's inputs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tensor.hpp"

namespace tg::autograd {

class Node;

struct Edge {
  std::shared_ptr<Node> function;  // null: this input needs no gradient
  uint32_t input_nr = 0;           // which output of `function` the gradient is for
  bool is_valid() const { return function != nullptr; }
};

class Node {
 public:
  // A view of tape entry `node` (-1: AccumulateGrad of `leaf`).
  Node(int64_t node, Tensor leaf) : node_(node), leaf_(std::move(leaf)) {}
  std::string name() const;
  std::vector<Edge> next_edges() const;
  Edge next_edge(size_t i) const;
  uint32_t num_outputs() const { return uint32_t(next_edges().size()); }
  // An AccumulateGrad node's tensor (libtorch's AccumulateGrad::variable), else undefined.
  const Tensor& variable() const { return leaf_; }
  int64_t tape_index() const { return node_; }  // -1 for AccumulateGrad

 private:
  int64_t node_;
  Tensor leaf_;
};

}  // namespace tg::autograd
