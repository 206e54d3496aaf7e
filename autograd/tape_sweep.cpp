// The reverse sweep: backward() and autograd::grad walk the tape from the newest entry reached
// to the oldest, turning each entry's output gradient into its inputs' (tape.hpp has the
// picture; tape.cpp records and collects the entries this walks).
#include <algorithm>
#include <unordered_map>

#include "c10_util.hpp"
#include "functions.hpp"
#include "kernels.hpp"
#include "tape.hpp"

namespace tg {

namespace {
struct SweepGuard {
  bool& flag;
  bool prev;
  explicit SweepGuard(bool& f) : flag(f), prev(f) { flag = true; }
  ~SweepGuard() { flag = prev; }
};

// `have + add`; without create_graph (grad mode off), a partial sum that nothing else holds is
// added to in place instead of into a new tensor (a value used n times sums n gradients).
void accumulate(Tensor& have, const Tensor& add) {
  if (!have.defined()) return void(have = add);
  TensorImpl* h = have.unsafeGetTensorImpl();
  const ScalarType t = h->dtype;
  if (grad_enabled() || have.use_count() != 1 || h->storage->refs != 1 || add.scalar_type() != t ||
      !is_floating_point(t) || have.sizes() != add.sizes())
    return void(have = have + add);
  kern::dispatch_float(t, "backward", [&](auto tag) {
    using T = decltype(tag);
    kern::row2<true, true>(ptr<T>(have), ptr<T>(add), ptr<T>(have), have.numel(),
                           kern::simd([](auto x, auto y) { return x + y; }));
  });
  ++h->storage->version;
}

// May a backward that adds into its gradients (Entry::adds_into_grad) add input k's gradient
// straight into the leaf's .grad? Only if that is what the end of the sweep would do anyway,
// and nothing could see the difference: nothing else holds the buffer (not the user, not a
// saved value, not an alias), it has the input's dtype and shape, and no hook must see the
// summed gradient first. The sweep checks the rest: a plain backward() (autograd::grad
// returns gradients instead, create_graph records the sum), outside anomaly mode (which checks
// each backward's result). As in libtorch, a backward that fails later has then already added
// this part.
bool lendable_grad(const Entry& e, int k) {
  const Tensor& leaf = e.in[size_t(k)].leaf;
  if (e.in[size_t(k)].node >= 0 || !leaf.defined()) return false;
  const TensorImpl* l = leaf.unsafeGetTensorImpl();
  const Tensor& grad = l->grad;
  if (!grad.defined() || !l->hooks.empty() || grad.use_count() != 1) return false;
  const TensorImpl* gi = grad.unsafeGetTensorImpl();
  return gi->storage->refs == 1 && gi->node < 0 && !gi->requires_grad &&
         gi->dtype == e.in_dtype[size_t(k)] && grad.sizes() == e.in_shape(k);
}

Tensor run_hooks(const std::vector<HookSlot>& hooks, Tensor g) {
  for (const HookSlot& h : hooks) {
    Tensor r = h.fn(g);
    if (r.defined()) g = r;
  }
  return g;
}

// Anomaly mode (libtorch's engine): runs one entry's backward and checks what it produced. An
// error first warns where the failing op was recorded ("Traceback of forward call that caused
// the error") and, for an entry recorded by another entry's backward (a double backward), where
// that one was; then it propagates. NaN or Inf in a gradient is such an error.
void backward_watched(Entry& e, size_t index, const Tensor& g, Tensor* gin) {
  const std::string name = detail::node_name_of(e);
  const std::string label = detail::entry_label(e.extra ? e.extra->where : SourceLocation{},
                                                e.extra ? e.extra->stack.get() : nullptr, index);
  const std::string me = name + "\n" + label;  // what the ops recorded below were induced by
  const std::string* outer = detail::inducing();
  detail::set_inducing(&me);
  try {
    e.backward(e, g, gin);
    for (int k = 0; k < e.n_in; ++k) {
      const Tensor& gk = gin[size_t(k)];
      if (detail::all_finite(gk)) continue;
      const bool nan = gk.isnan().any().item<bool>();
      fail("Function '" + name + "' returned " + (nan ? "nan" : "inf") + " values in its " +
           std::to_string(k) + "th output (anomaly mode: the backward of " + e.op + ", " + label +
           ", gradient of shape " + to_string(gk.sizes()) + ")");
    }
  } catch (...) {
    detail::set_inducing(outer);
    TORCH_WARN("Error detected in ", name, ". Traceback of forward call that caused the error:\n",
               label);
    if (e.extra && !e.extra->induced_by.empty()) {
      const std::string& by = e.extra->induced_by;
      const size_t cut = by.find('\n');
      TORCH_WARN("\n\nPrevious calculation was induced by ", by.substr(0, cut),
                 ". Traceback of forward call that induced the previous calculation:\n",
                 by.substr(cut + 1));
    }
    throw;
  }
  detail::set_inducing(outer);
}
}  // namespace

void Tape::sweep(const std::vector<Tensor>& roots, const std::vector<Tensor>& root_grads,
                 bool retain_graph, bool create_graph, bool capture,
                 const std::unordered_map<int64_t, size_t>& input_of_node,
                 const std::unordered_map<TensorImpl*, size_t>& input_of_leaf,
                 std::vector<Tensor>& result) {
  std::vector<Tensor> touched;  // leaves that got a gradient
  struct Unpend {               // leaves' partial sums never outlive the sweep, even on an error
    std::vector<Tensor>& leaves;
    ~Unpend() {
      for (Tensor& l : leaves) l.unsafeGetTensorImpl()->pending = Tensor();
    }
  } unpend{touched};
  auto to_leaf = [&](const Tensor& leaf, const Tensor& g) {
    Tensor& pending = leaf.unsafeGetTensorImpl()->pending;
    if (!pending.defined()) touched.push_back(leaf);
    accumulate(pending, g);
  };
  int64_t top = -1;
  size_t pending = 0;
  // Inlined by force: called once per input of every swept entry, and GCC would rather not.
  auto to_node = [&](int64_t node, int32_t output, const Tensor& g) __attribute__((always_inline)) {
    Entry& target = entries_[size_t(node)];
    if (output < 0) {
      if (!target.grad.defined()) ++pending;
      accumulate(target.grad, g);
    } else {  // output k of a multi-output op: its gradient waits in slot k (tape.hpp)
      std::vector<Tensor>& out_grads = target.make_extra().out_grads;
      if (out_grads.empty()) ++pending, out_grads.resize(size_t(target.n_out));
      accumulate(out_grads[size_t(output)], g);
    }
    top = std::max(top, node);
  };

  // Seed the roots.
  for (size_t r = 0; r < roots.size(); ++r) {
    const Tensor& root = roots[r];
    check_defined(root, "backward");
    if (!root.requires_grad())
      fail("backward: element " + std::to_string(r) +
           " of tensors does not require grad and does not have a grad_fn");
    Tensor g = r < root_grads.size() ? root_grads[r] : Tensor();
    if (!g.defined()) {
      if (root.numel() != 1)
        fail("backward: grad can be implicitly created only for scalar outputs (got shape " +
             to_string(root.sizes()) + ")");
      g = ones_like(root);
    } else if (g.sizes() != root.sizes()) {
      fail("backward: gradient of shape " + to_string(g.sizes()) +
           " does not match the output's shape " + to_string(root.sizes()));
    }
    if (g.scalar_type() != root.scalar_type()) g = g.to(root.scalar_type());
    TensorImpl* impl = root.unsafeGetTensorImpl();
    if (impl->node >= 0)
      to_node(impl->node, -1, g);
    else
      to_leaf(root, g);
  }

  // autograd::grad: only entries from which a requested input can be reached run (libtorch's
  // pruning); a forward pass marks them, since an entry comes after every entry it consumes.
  std::vector<char> leads;
  if (capture) {
    leads.assign(size_t(top + 1), 0);
    for (int64_t i = 0; i <= top; ++i) {
      const Entry& e = entries_[size_t(i)];
      bool l = input_of_node.count(i) > 0;
      for (int k = 0; k < e.n_in && !l; ++k) {
        const Edge& edge = e.edge(k);
        l = edge.node >= 0
                ? leads[size_t(edge.node)] != 0
                : edge.leaf.defined() && input_of_leaf.count(edge.leaf.unsafeGetTensorImpl()) > 0;
      }
      leads[size_t(i)] = l;
    }
  }

  // Sweep the tape backwards from the newest reached entry. Input gradients are dropped as soon
  // as they are passed on, so that a gradient nothing else holds can be written in place
  // further down (grad_binary).
  const bool anomaly = autograd::anomaly_mode_enabled();
  std::array<Tensor, Entry::kInline> gin_inline;
  std::vector<Tensor> gin_more;  // cat/stack: more inputs
  for (int64_t i = top; i >= 0 && pending > 0; --i) {
    Entry& e = entries_[size_t(i)];
    if (!e.reached()) continue;  // not on a path from the roots
    --pending;
    Tensor g = std::move(e.grad);
    e.grad = Tensor();
    if (capture && !leads[size_t(i)]) {  // no requested input beyond it: pruned
      if (e.extra) e.extra->out_grads.clear();
      continue;
    }
    if (e.released)
      fail(std::string("Trying to backward through the graph a second time (at op ") + e.op +
           "): its saved values were freed. Specify retain_graph=true on the first backward.");
    if (e.has_hooks()) g = run_hooks(e.extra->hooks, std::move(g));
    if (e.retain && e.out) accumulate(e.out->grad, create_graph ? g : g.detach());
    if (capture) {
      auto it = input_of_node.find(i);
      if (it != input_of_node.end()) accumulate(result[it->second], g);
    }
    Tensor* gin = gin_inline.data();
    if (e.n_in > Entry::kInline) gin_more.assign(size_t(e.n_in), Tensor()), gin = gin_more.data();
    unsigned lent = 0;  // bit k: gin[k] is input k's own .grad, for the backward to add into
    if (e.adds_into_grad && !capture && !create_graph && !anomaly)
      for (int k = 0; k < e.n_in && k < Entry::kInline; ++k)
        if (lendable_grad(e, k)) gin[k] = e.in[size_t(k)].leaf.grad(), lent |= 1u << k;
    CustomNode* custom = e.extra ? e.extra->custom.get() : nullptr;
    if (custom) {  // which inputs this sweep wants (needs_input_grad), pruning included
      custom->wanted.assign(size_t(e.n_in), false);
      for (int k = 0; k < e.n_in; ++k) {
        const Edge& edge = e.edge(k);
        custom->wanted[size_t(k)] =
            edge.active() &&
            (!capture ||
             (edge.node >= 0 ? leads[size_t(edge.node)] != 0
                             : input_of_leaf.count(edge.leaf.unsafeGetTensorImpl()) > 0));
      }
    }
    if (anomaly)
      backward_watched(e, size_t(i), g, gin);
    else
      e.backward(e, g, gin);
    if (custom) custom->wanted.clear();
    // What the backward added into a lent .grad is in place already: count the write (as add_
    // would) and pass nothing on.
    for (int k = 0; lent != 0; ++k, lent >>= 1) {
      if (!(lent & 1)) continue;
      const Tensor& grad = e.in[size_t(k)].leaf.unsafeGetTensorImpl()->grad;
      if (gin[k].unsafeGetTensorImpl() != grad.unsafeGetTensorImpl()) continue;  // not used
      ++grad.unsafeGetTensorImpl()->storage->version;
      gin[k] = Tensor();
    }
    for (int k = 0; k < e.n_in; ++k) {
      Tensor& gk = gin[size_t(k)];
      const Edge& edge = e.edge(k);
      if (!gk.defined() || !edge.active()) continue;
      if (k < Entry::kInline) {
        if (gk.sizes() != e.in_shape(k))
          fail(std::string("internal: ") + e.op + " backward gave input " + std::to_string(k) +
               " a gradient of shape " + to_string(gk.sizes()) + ", expected " +
               to_string(e.in_shape(k)));
        if (gk.scalar_type() != e.in_dtype[size_t(k)]) gk = gk.to(e.in_dtype[size_t(k)]);
      }
      if (edge.node >= 0)
        to_node(edge.node, edge.output, gk);
      else
        to_leaf(edge.leaf, gk);
    }
    for (int k = 0; k < e.n_in; ++k) gin[k] = Tensor();
    if (e.extra) e.extra->out_grads.clear();
    if (!retain_graph) {
      for (SavedTensor& s : e.saved)
        if (s.value.defined()) s = SavedTensor();
      if (e.extra && e.extra->custom) e.extra->custom->saved.clear();
      e.released = true;
      e.holds_out = false;
    }
  }

  // Leaves: hooks see the summed gradient, then it is returned (grad) or accumulated (backward).
  for (const Tensor& t : touched) {
    TensorImpl* leaf = t.unsafeGetTensorImpl();
    Tensor g = run_hooks(leaf->hooks, std::move(leaf->pending));
    leaf->pending = Tensor();
    if (capture) {
      auto it = input_of_leaf.find(leaf);
      if (it != input_of_leaf.end()) accumulate(result[it->second], g);
      continue;
    }
    if (!leaf->grad.defined()) {
      bool sole = g.use_count() == 1 && g.unsafeGetTensorImpl()->storage->refs == 1;
      leaf->grad = create_graph ? g : (sole ? g.detach() : g.detach().clone());
    } else if (create_graph) {
      leaf->grad = leaf->grad + g;
    } else {
      NoGradGuard no_grad;
      leaf->grad.add_(g);
    }
  }
}

std::vector<Tensor> Tape::run_backward(const std::vector<Tensor>& roots,
                                       const std::vector<Tensor>& root_grads, bool retain_graph,
                                       bool create_graph, const std::vector<Tensor>& inputs,
                                       bool allow_unused) {
  SweepGuard sweeping(sweeping_);
  AutoGradMode mode(create_graph);  // backward formulas are recorded only for create_graph
  const bool capture = !inputs.empty();
  std::vector<Tensor> result(inputs.size());
  std::unordered_map<int64_t, size_t> input_of_node;
  std::unordered_map<TensorImpl*, size_t> input_of_leaf;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const Tensor& t = inputs[k];
    if (!t.defined() || !t.requires_grad())
      fail("autograd::grad: input " + std::to_string(k) + " does not require grad");
    if (t.unsafeGetTensorImpl()->node >= 0)
      input_of_node[t.unsafeGetTensorImpl()->node] = k;
    else
      input_of_leaf[t.unsafeGetTensorImpl()] = k;
  }

  // On an error mid-sweep (a modified saved tensor, a second backward), drop the partial
  // gradients so that the next backward starts clean. (A leaf .grad that a product's backward
  // has already added into keeps that part, as in libtorch: see lendable_grad.)
  try {
    sweep(roots, root_grads, retain_graph, create_graph, capture, input_of_node, input_of_leaf,
          result);
  } catch (...) {
    for (size_t i = 0; i < entries_.size(); ++i) {
      entries_[i].grad = Tensor();
      if (entries_[i].extra) entries_[i].extra->out_grads.clear();
    }
    throw;
  }
  for (size_t k = 0; k < inputs.size(); ++k)
    if (!result[k].defined() && !allow_unused)
      fail("autograd::grad: one of the differentiated tensors (input " + std::to_string(k) +
           ") appears to not have been used in the graph. Set allow_unused=True if this is "
           "the desired behavior.");
  return result;
}

}  // namespace tg
