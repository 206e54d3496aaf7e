// Looking at the tape: a table of its entries, and a graph in Graphviz DOT (micrograd's draw_dot).
//
//   auto x = tg::tensor({1.0, 2.0}, tg::requires_grad());
//   auto loss = (x * x + x).sum();
//   tg::autograd::print_tape(std::cout);         // entry | op | inputs | shapes | saved bytes
//   std::ofstream("g.dot") << tg::autograd::to_dot(loss);   // then: dot -Tsvg g.dot > g.svg
#pragma once

#include <iosfwd>
#include <string>

#include "tensor.hpp"

namespace tg::autograd {

// Every entry on the tape now: index, op, inputs (#k = entry k, leaf = a leaf tensor),
// input shapes, output shape, bytes of saved values, and state (live, released after a
// backward, or output dropped).
void print_tape(std::ostream& os);
// The part of the tape that `root` depends on, as a DOT digraph: entries as boxes, leaves as
// ellipses, edges in the direction data flows.
std::string to_dot(const Tensor& root);

}  // namespace tg::autograd
