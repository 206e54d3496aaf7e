// The tape's recording, reverse sweep and collection. See tape.hpp for the picture.
#include "tape.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

// ---- grad mode (tape.hpp holds the flag) ----

// ---- anomaly mode: the first NaN/Inf in forward or backward throws, naming the op ----
namespace {
bool g_anomaly = false;
bool all_finite(const Tensor& t) {
  if (!t.defined() || !is_floating_point(t.scalar_type())) return true;
  if (t.scalar_type() == kFloat) {
    const float* p = ptr<float>(t);
    for (int64_t i = 0, n = t.numel(); i < n; ++i)
      if (!std::isfinite(p[i])) return false;
  } else {
    const double* p = ptr<double>(t);
    for (int64_t i = 0, n = t.numel(); i < n; ++i)
      if (!std::isfinite(p[i])) return false;
  }
  return true;
}
thread_local const std::source_location* g_site = nullptr;  // the innermost TG_HERE

// "tape entry #3, recorded at file.cpp:41 in 'f'": the TG_HERE site if there is one, else the
// user's frame of the call stack captured when the op was recorded (source_line.hpp).
std::string entry_label(const std::source_location& where, const detail::CallStack* stack,
                        size_t index) {
  std::string s = "tape entry #" + std::to_string(index);
  if (where.line() != 0)
    return s + ", recorded at " + where.file_name() + ":" + std::to_string(where.line()) + " in '" +
           where.function_name() + "'";
  if (!stack) return s;
  std::string line = detail::user_source_line(*stack);
  return line.rfind("; ", 0) == 0 ? s + line : s + ", recorded at " + line;
}
}  // namespace
namespace autograd {
CallSite::CallSite(std::source_location loc) : loc_(loc), prev_(g_site) { g_site = &loc_; }
CallSite::~CallSite() { g_site = prev_; }
const std::source_location* CallSite::current() { return g_site; }
bool anomaly_mode_enabled() { return g_anomaly; }
bool anomaly_source_lines_supported() { return detail::source_lines_supported(); }
DetectAnomalyGuard::DetectAnomalyGuard() : prev_(g_anomaly) { g_anomaly = true; }
DetectAnomalyGuard::~DetectAnomalyGuard() { g_anomaly = prev_; }
}  // namespace autograd
bool GradMode::is_enabled() { return detail::grad_mode; }
void GradMode::set_enabled(bool on) { detail::grad_mode = on; }
NoGradGuard::NoGradGuard() : prev_(detail::grad_mode) { detail::grad_mode = false; }
NoGradGuard::~NoGradGuard() { detail::grad_mode = prev_; }
AutoGradMode::AutoGradMode(bool on) : prev_(detail::grad_mode) { detail::grad_mode = on; }
AutoGradMode::~AutoGradMode() { detail::grad_mode = prev_; }

Tape& Tape::get() {
  // Never destroyed: tensors in static storage may outlive any other order of destruction.
  static Tape* tape = new Tape;
  return *tape;
}

// ---- saved values -------------------------------------------------------------------------
static Edge edge_of(const Tensor& t);

void SavedTensor::pack(const Tensor& t) {
  value = t.detach();  // detached: an entry never keeps its own output alive
  version = t.unsafeGetTensorImpl()->storage->version;
  edge = edge_of(t);
}

void Entry::save(int k, const Tensor& t) {
  SavedTensor& s = saved[size_t(k)];
  // A value is kept as the tensor itself, not as a detached alias (which costs an allocation).
  // An input's entry is live anyway while this one consumes it; the output's own reference is
  // discounted by Entry::dead (a second slot holding the output gets an alias). If an in-place op
  // makes an input this entry's output, or the output another entry's, the tape swaps in an
  // alias (Tape::rebase_output, Tape::disown).
  if (t.unsafeGetTensorImpl() == out) {
    if (holds_out) return s.pack(t);
    holds_out = true;
  }
  s.value = t;
  s.version = t.unsafeGetTensorImpl()->storage->version;
  s.edge = edge_of(t);
}

Tensor SavedTensor::unpack(const char* op, size_t k) const {
  const SavedTensor& s = *this;
  if (!s.value.defined())
    fail(std::string(op) + ": saved tensor " + std::to_string(k) + " is missing");
  uint32_t now = s.value.unsafeGetTensorImpl()->storage->version;
  if (now != s.version)
    fail(std::string("one of the variables needed for gradient computation has been modified by "
                     "an inplace operation: the ") +
         op + " operation saved a tensor of shape " + to_string(s.value.sizes()) + " at version " +
         std::to_string(s.version) + "; it is now at version " + std::to_string(now));
  if (!grad_enabled() || !s.edge.active()) return s.value;
  // create_graph: hand back the tensor as it sits on the tape, so that the ops the backward
  // formula records lead on to this value's own history (second and higher derivatives).
  if (s.edge.leaf.defined()) return s.edge.leaf;
  Tensor attached = alias_with_shape(s.value, s.value.sizes());
  attached.unsafeGetTensorImpl()->node = s.edge.node;
  attached.unsafeGetTensorImpl()->requires_grad = true;
  return attached;
}

// ---- recording ----------------------------------------------------------------------------
static bool needs_grad(const Tensor& t) { return t.defined() && t.requires_grad(); }

// A view whose storage was written after it was taken (through its base or another view)
// holds values its recorded history doesn't explain: using it in a graph would give wrong
// gradients, so it is an error (libtorch would re-derive the view's history instead).
static void check_view_fresh(const Tensor& t, const char* op) {
  const TensorImpl* i = t.unsafeGetTensorImpl();
  if (i->is_view && i->requires_grad && i->storage->rebases != i->view_rebases)
    fail(std::string(op) + ": an input of shape " + to_string(t.sizes()) +
         " is a view whose base was modified in place after the view was taken; take the view "
         "again after the in-place op");
}

Edge edge_of(const Tensor& t) {
  Edge e;
  if (!needs_grad(t)) return e;
  TensorImpl* impl = t.unsafeGetTensorImpl();
  if (impl->node >= 0)
    e.node = int32_t(impl->node);
  else
    e.leaf = t;
  return e;
}

static void check_forward_finite(const char* op, const Tensor& out, size_t index) {
  if (!all_finite(out))
    fail(std::string("anomaly detected: the forward of ") + op + " (" +
         entry_label(g_site ? *g_site : std::source_location(),
                     g_site ? nullptr : detail::capture_call_stack().get(), index) +
         ") produced NaN or Inf in its output of shape " + to_string(out.sizes()));
}

Entry* Tape::append(const char* op, BackwardFn fn, int n_in, Tensor& out) {
  if (g_anomaly) check_forward_finite(op, out, entries_.size());
  make_room();
  return &emplace(op, fn, n_in, &out);
}

void Tape::make_room() {
  if (sweeping_) return;  // a create_graph backward holds entries: never move them then
  pop_dead_tail();
  if (entries_.size() >= 2 * kept_after_collect_ + 1024) collect();
}

Entry& Tape::emplace(const char* op, BackwardFn fn, int n_in, Tensor* out) {
  if (entries_.size() >= size_t(INT32_MAX))  // Edge keeps tape indices in 32 bits
    fail(std::string(op) + ": the tape is full (2^31 entries); call backward or drop outputs");
  entries_.emplace_back();
  Entry& e = entries_.back();
  e.op = op;
  e.backward = fn;
  if (g_anomaly) {  // where the op was recorded, for anomaly messages
    if (g_site)
      e.make_extra().where = *g_site;
    else
      e.make_extra().stack = detail::capture_call_stack();
  }
  e.n_in = n_in;
  if (!out) return e;  // a multi-output op's own entry
  TensorImpl* o = out->unsafeGetTensorImpl();
  e.shapes.set(Entry::kOut, o->sizes);
  e.out_dtype = o->dtype;
  e.out = o;
  if (o->node >= 0) disown(o);  // an in-place op re-bases `out` onto this entry
  o->node = int64_t(entries_.size()) - 1;
  o->requires_grad = true;
  return e;
}

Entry* Tape::record(const char* op, BackwardFn fn, std::initializer_list<const Tensor*> inputs,
                    Tensor& out) {
  if (!detail::grad_mode) return nullptr;
  bool any = false;
  for (const Tensor* t : inputs) {
    bool n = needs_grad(*t);
    if (n && t->unsafeGetTensorImpl()->is_view) check_view_fresh(*t, op);
    any = any || n;
  }
  if (!any) return nullptr;
  Entry* e = append(op, fn, int(inputs.size()), out);
  int k = 0;
  for (const Tensor* t : inputs) {
    if (k >= Entry::kInline) fail(std::string(op) + ": too many inputs for an inline entry");
    e->in[size_t(k)] = edge_of(*t);
    if (t->defined()) {
      e->shapes.set(k, t->sizes());
      e->in_dtype[size_t(k)] = t->scalar_type();
    }
    ++k;
  }
  return e;
}

Entry* Tape::record(const char* op, BackwardFn fn, const std::vector<Tensor>& inputs, Tensor& out) {
  if (!detail::grad_mode) return nullptr;
  bool any = false;
  for (const Tensor& t : inputs)
    if (needs_grad(t)) check_view_fresh(t, op), any = true;
  if (!any) return nullptr;
  Entry* e = append(op, fn, int(inputs.size()), out);
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (k >= size_t(Entry::kInline))
      e->make_extra().more_in.push_back(edge_of(inputs[k]));
    else {
      e->in[k] = edge_of(inputs[k]);
      e->shapes.set(int(k), inputs[k].sizes());
      e->in_dtype[k] = inputs[k].scalar_type();
    }
  }
  return e;
}

void Tape::rebase_output(TensorImpl* t, int64_t node) {
  disown(t);
  Entry& e = entry(node);
  e.out = t;
  t->node = node;
  t->requires_grad = true;
  // The entry may have saved t itself as an input (Entry::save); it must not keep its own
  // output alive, or neither would ever be collected.
  auto unalias = [t](SavedTensor& s) {
    if (s.value.unsafeGetTensorImpl() == t) s.value = s.value.detach();
  };
  for (SavedTensor& s : e.saved) unalias(s);
  if (e.extra && e.extra->custom)
    for (SavedTensor& s : e.extra->custom->saved) unalias(s);
}

// Output k of a multi-output op (see tape.hpp): the gradient goes on, whole, into slot k.
static void output_backward(const Entry&, const Tensor& g, Tensor* gin) { gin[0] = g; }

Entry* Tape::record_outputs(const char* op, BackwardFn fn, const Tensor& input,
                            std::vector<Tensor>& outs) {
  if (!detail::grad_mode || !needs_grad(input) || outs.empty()) return nullptr;
  check_view_fresh(input, op);
  if (g_anomaly)
    for (const Tensor& o : outs) check_forward_finite(op, o, entries_.size());
  make_room();  // before the group: its first entry has no output of its own to keep it
  const int64_t node = int64_t(entries_.size());
  Entry& e = emplace(op, fn, 1, nullptr);
  e.in[0] = edge_of(input);
  e.shapes.set(0, input.sizes());
  e.in_dtype[0] = input.scalar_type();
  e.n_out = int(outs.size());
  for (size_t k = 0; k < outs.size(); ++k) {
    Entry& o = emplace("output", output_backward, 1, &outs[k]);
    o.in[0].node = int32_t(node);
    o.in[0].output = int32_t(k);
    o.shapes.set(0, outs[k].sizes());
    o.in_dtype[0] = outs[k].scalar_type();
  }
  return &e;  // entries never move (EntryList), so e is still valid after the outputs
}

// ---- collection ---------------------------------------------------------------------------
void Tape::output_died(TensorImpl* t) {
  if (t->node >= 0 && size_t(t->node) < entries_.size() && entries_[size_t(t->node)].out == t)
    entries_[size_t(t->node)].out = nullptr;
}

// If the entry held t itself as a saved value, it keeps a detached alias instead (the same
// storage and version): else t would keep that entry alive through t's new entry, which
// consumes it -- a cycle that collection could never break.
void Tape::disown(TensorImpl* t) {
  if (t->node < 0 || size_t(t->node) >= entries_.size()) return;
  Entry& e = entries_[size_t(t->node)];
  if (e.out != t) return;
  e.out = nullptr;
  if (!e.holds_out) return;
  e.holds_out = false;
  for (SavedTensor& s : e.saved)
    if (s.value.unsafeGetTensorImpl() == t) s.value = s.value.detach();
}

void Tape::pop_dead_tail() {
  // The last entry feeds nothing; if its output is gone, nothing can ever reach it. Destroying
  // it may release tensors whose destructors call back into the tape (output_died); pop_back
  // has already taken the entry off the list by then, so the list they see is consistent.
  while (!entries_.empty() && entries_.back().dead()) entries_.pop_back();
}

void Tape::collect() {
  const size_t n = entries_.size();
  std::vector<int64_t> new_index(n, -1);
  std::vector<char> live(n, 0);
  for (size_t i = n; i-- > 0;) {  // reverse: consumers come after what they consume
    Entry& e = entries_[i];
    if (!e.dead()) live[i] = 1;
    if (!live[i]) continue;
    e.for_each_node([&](int32_t node) {
      if (node >= 0) live[size_t(node)] = 1;
    });
  }
  EntryList kept;
  std::vector<Entry> graveyard;  // destroyed after the tape is consistent again
  for (size_t i = 0; i < n; ++i) {
    if (live[i]) {
      new_index[i] = int64_t(kept.size());
      kept.push_back(std::move(entries_[i]));
    } else {
      graveyard.push_back(std::move(entries_[i]));
    }
  }
  for (size_t j = 0; j < kept.size(); ++j)
    kept[j].for_each_node([&](int32_t& node) {
      if (node >= 0) node = new_index[size_t(node)];
    });
  for (size_t j = 0; j < kept.size(); ++j)
    if (kept[j].out) kept[j].out->node = int64_t(j);
  entries_.swap(kept);
  kept_after_collect_ = entries_.size();
  kept.clear();
  graveyard.clear();
}

size_t Tape::live_entries() const {
  size_t c = 0;
  for (size_t i = 0; i < entries_.size(); ++i) c += entries_[i].released ? 0 : 1;
  return c;
}

// ---- the reverse sweep --------------------------------------------------------------------
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
  auto to_node = [&](int64_t node, int32_t output, const Tensor& g) {
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

  // Sweep the tape backwards from the newest reached entry. Input gradients are dropped as soon
  // as they are passed on, so that a gradient nothing else holds can be written in place
  // further down (grad_binary).
  std::array<Tensor, Entry::kInline> gin_inline;
  std::vector<Tensor> gin_more;  // cat/stack: more inputs
  for (int64_t i = top; i >= 0 && pending > 0; --i) {
    Entry& e = entries_[size_t(i)];
    if (!e.reached()) continue;  // not on a path from the roots
    --pending;
    Tensor g = std::move(e.grad);
    e.grad = Tensor();
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
    if (e.adds_into_grad && !capture && !create_graph && !g_anomaly)
      for (int k = 0; k < e.n_in && k < Entry::kInline; ++k)
        if (lendable_grad(e, k)) gin[k] = e.in[size_t(k)].leaf.grad(), lent |= 1u << k;
    e.backward(e, g, gin);
    // What the backward added into a lent .grad is in place already: count the write (as add_
    // would) and pass nothing on.
    for (int k = 0; lent != 0; ++k, lent >>= 1) {
      if (!(lent & 1)) continue;
      const Tensor& grad = e.in[size_t(k)].leaf.unsafeGetTensorImpl()->grad;
      if (gin[k].unsafeGetTensorImpl() != grad.unsafeGetTensorImpl()) continue;  // not used
      ++grad.unsafeGetTensorImpl()->storage->version;
      gin[k] = Tensor();
    }
    if (g_anomaly)
      for (int k = 0; k < e.n_in; ++k)
        if (!all_finite(gin[size_t(k)]))
          fail(std::string("anomaly detected: the backward of ") + e.op + " (" +
               entry_label(e.extra ? e.extra->where : std::source_location(),
                           e.extra ? e.extra->stack.get() : nullptr, size_t(i)) +
               ") produced NaN or Inf in the gradient of input " + std::to_string(k) + " (shape " +
               to_string(gin[size_t(k)].sizes()) + ")");
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
           ") appears to not have been used in the graph. Set allow_unused=true if this is "
           "the desired behavior.");
  return result;
}

}  // namespace tg
