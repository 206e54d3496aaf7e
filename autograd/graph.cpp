// Tensor::grad_fn and the node view (graph.hpp): PyTorch's node names for tapegrad's entries.
#include "graph.hpp"

#include <cctype>
#include <cstring>

#include "tape.hpp"
#include "tensor_impl.hpp"

namespace tg {

namespace {

// "log_softmax" -> "LogSoftmax", "max_pool2d" -> "MaxPool2D", "log1p" -> "Log1P": PyTorch's
// generated node names capitalise each word and each letter after a digit.
std::string camel(const char* op) {
  std::string out;
  bool up = true;
  for (const char* c = op; *c; ++c) {
    if (*c == '_') {
      up = true;
      continue;
    }
    out += up ? char(std::toupper(static_cast<unsigned char>(*c))) : *c;
    up = std::isdigit(static_cast<unsigned char>(*c)) != 0;
  }
  return out;
}

// tapegrad ops whose libtorch node has another name, or a numbered overload (Backward1 is
// libtorch's name for the overload taking a number instead of a tensor, or a dim).
std::string node_name(const Entry& e) {
  const std::string op = e.op;
  const bool unary = e.n_in == 1;
  auto is = [&](const char* name) { return op == name; };
  if (is("add") || is("sub") || is("mul") || is("div"))
    return camel(e.op) + (unary ? "Backward1" : "Backward0");
  if (is("pow")) return unary ? "PowBackward0" : "PowBackward1";
  if (is("square")) return "PowBackward0";
  if (is("sum") || is("mean"))
    return camel(e.op) + (e.out_shape().size() == 0 ? "Backward0" : "Backward1");
  // x.max() records amax over every dim: libtorch's MaxBackward1; max(dim) is MaxBackward0.
  if ((is("amax") || is("amin")) && e.out_shape().size() == 0)
    return std::string(is("amax") ? "Max" : "Min") + "Backward1";
  if (is("clamp")) return "ClampBackward1";
  if (is("reshape") || is("flatten")) return "ReshapeAliasBackward0";
  if (is("narrow")) return "SliceBackward0";
  if (is("chunk") || is("split")) return "SplitBackward0";
  if (is("to")) return "ToCopyBackward0";
  if (is("matmul")) return "MmBackward0";
  if (is("linear")) return e.in_shape(2).size() > 0 ? "AddmmBackward0" : "MmBackward0";  // bias?
  if (is("conv1d") || is("conv2d")) return "ConvolutionBackward0";
  if (is("max_pool2d")) return "MaxPool2DWithIndicesBackward0";
  if (is("batch_norm")) return "NativeBatchNormBackward0";
  if (is("layer_norm")) return "NativeLayerNormBackward0";
  if (is("squeeze")) return "SqueezeBackward1";
  return camel(e.op) + "Backward0";
}

// The entry a tensor's gradient flows into, and which of its outputs the tensor is: outputs of
// a multi-output op have small forwarding entries (tape.hpp); the node is the op's own entry.
std::pair<int64_t, uint32_t> resolve(int64_t node) {
  const Entry& e = Tape::get().entry(node);
  if (std::strcmp(e.op, "output") == 0) return {e.in[0].node, uint32_t(e.in[0].output)};
  return {node, 0};
}

}  // namespace

namespace detail {
std::string node_name_of(const Entry& e) { return node_name(e); }
}  // namespace detail

std::shared_ptr<autograd::Node> Tensor::grad_fn() const {
  if (impl_) detail::check_view_grad_fn(*impl_);
  if (!impl_ || impl_->node < 0) return nullptr;
  return std::make_shared<autograd::Node>(resolve(impl_->node).first, Tensor());
}

int64_t Tensor::output_nr() const {
  if (!impl_ || impl_->node < 0) return 0;
  return resolve(impl_->node).second;
}

namespace autograd {

std::string Node::name() const {
  if (node_ < 0) return "torch::autograd::AccumulateGrad";
  return node_name(Tape::get().entry(node_));
}

std::vector<Edge> Node::next_edges() const {
  std::vector<Edge> out;
  if (node_ < 0) return out;
  const Entry& e = Tape::get().entry(node_);
  for (int k = 0; k < e.n_in; ++k) {
    // Inputs of an integer or bool dtype (where's condition) are not edges in libtorch.
    if (k < Entry::kInline && !is_floating_point(e.in_dtype[size_t(k)])) continue;
    const tg::Edge& in = e.edge(k);
    Edge edge;
    if (in.node >= 0) {
      auto [n, nr] = resolve(in.node);
      edge.function = std::make_shared<Node>(n, Tensor());
      edge.input_nr = in.output >= 0 ? uint32_t(in.output) : nr;
    } else if (in.leaf.defined()) {
      edge.function = std::make_shared<Node>(-1, in.leaf);
    }
    out.push_back(std::move(edge));
  }
  return out;
}

Edge Node::next_edge(size_t i) const {
  std::vector<Edge> all = next_edges();
  if (i >= all.size())
    fail("Node::next_edge: index " + std::to_string(i) + " out of range for " + name() + " with " +
         std::to_string(all.size()) + " edges");
  return all[i];
}

}  // namespace autograd
}  // namespace tg
