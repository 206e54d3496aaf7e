// The tape's recording and collection; the reverse sweep is in tape_sweep.cpp. See tape.hpp
// for the picture.
#include "tape.hpp"

#include <cmath>

#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

// ---- grad mode (tape.hpp holds the flag) ----

// ---- anomaly mode: the first NaN/Inf in forward or backward throws, naming the op ----
namespace {
bool g_anomaly = false;
thread_local const SourceLocation* g_site = nullptr;   // the innermost TG_HERE
thread_local const std::string* g_inducing = nullptr;  // the entry whose backward is running
}  // namespace

namespace detail {
void set_inducing(const std::string* what) { g_inducing = what; }
const std::string* inducing() { return g_inducing; }

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

// (source_line.hpp finds the user's frame.)
std::string entry_label(const SourceLocation& where, const CallStack* stack, size_t index) {
  std::string s = "tape entry #" + std::to_string(index);
  if (where.line != 0)
    return s + ", recorded at " + where.file + ":" + std::to_string(where.line) + " in '" +
           where.function + "'";
  if (!stack) return s;
  std::string line = user_source_line(*stack);
  return line.rfind("; ", 0) == 0 ? s + line : s + ", recorded at " + line;
}
}  // namespace detail
namespace autograd {
CallSite::CallSite(SourceLocation loc) : loc_(loc), prev_(g_site) { g_site = &loc_; }
CallSite::~CallSite() { g_site = prev_; }
const SourceLocation* CallSite::current() { return g_site; }
bool anomaly_mode_enabled() { return g_anomaly; }
bool anomaly_source_lines_supported() { return detail::source_lines_supported(); }
DetectAnomalyGuard::DetectAnomalyGuard(bool check_nan) : prev_(g_anomaly) { g_anomaly = check_nan; }
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
  if (t.unsafeGetTensorImpl()->inference) detail::check_savable(*t.unsafeGetTensorImpl());
  value = t.detach();  // detached: an entry never keeps its own output alive
  version = t.unsafeGetTensorImpl()->storage->version;
  edge = edge_of(t);
}

void Entry::save(int k, const Tensor& t) {
  SavedTensor& s = saved[size_t(k)];
  if (t.unsafeGetTensorImpl()->inference) detail::check_savable(*t.unsafeGetTensorImpl());
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

void EntryShapes::too_many_dims(IntArrayRef s) {
  fail("a tape entry's shape " + to_string(s) + " has over " + std::to_string(Shape::kMaxDims) +
       " dims");
}

// ---- recording ----------------------------------------------------------------------------
static bool needs_grad(const Tensor& t) { return t.defined() && t.requires_grad(); }

// A view whose storage was written after it was taken (through its base or another view)
// holds values its recorded history doesn't explain: using it in a graph would give wrong
// gradients, so it is an error (libtorch would re-derive the view's history instead).
static void check_view_fresh(const Tensor& t, const char* op) {
  const TensorImpl* i = t.unsafeGetTensorImpl();
  if (i->is_view && i->requires_grad && i->storage->rebases != i->view_rebases) {
    detail::check_view_grad_fn(
        *i);  // a view made under NoGradGuard/InferenceMode: libtorch's words
    fail(std::string(op) + ": an input of shape " + to_string(t.sizes()) +
         " is a view whose base was modified in place after the view was taken; take the view "
         "again after the in-place op");
  }
}

// A leaf view taken with grad mode off requires grad through its base but is no gradient's
// destination (inference_mode.hpp): its edge is inactive.
Edge edge_of(const Tensor& t) {
  Edge e;
  if (!needs_grad(t)) return e;
  TensorImpl* impl = t.unsafeGetTensorImpl();
  if (impl->node >= 0)
    e.node = int32_t(impl->node);
  else if (impl->creation_meta == 0)
    e.leaf = t;
  return e;
}

static void check_forward_finite(const char* op, const Tensor& out, size_t index) {
  if (!detail::all_finite(out))
    fail(std::string("anomaly detected: the forward of ") + op + " (" +
         detail::entry_label(g_site ? *g_site : SourceLocation{},
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
    if (g_inducing) e.make_extra().induced_by = *g_inducing;
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
  bool any = false, normal = false;  // inference tensors alone record nothing (tape.hpp)
  for (const Tensor* t : inputs) {
    bool n = needs_grad(*t);
    if (n && t->unsafeGetTensorImpl()->is_view) check_view_fresh(*t, op);
    any = any || n;
    normal = normal || (t->defined() && !t->unsafeGetTensorImpl()->inference);
  }
  if (!any || !normal) return nullptr;
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
  bool any = false, normal = false;
  for (const Tensor& t : inputs) {
    if (needs_grad(t)) check_view_fresh(t, op), any = true;
    normal = normal || (t.defined() && !t.unsafeGetTensorImpl()->inference);
  }
  if (!any || !normal) return nullptr;
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
  // retain_grad() follows the tensor to its new version (libtorch moves retains_grad too); the
  // old version's hooks stay where they were registered.
  bool retained = false;
  if (t->node >= 0 && size_t(t->node) < entries_.size() && entries_[size_t(t->node)].out == t)
    std::swap(retained, entries_[size_t(t->node)].retain);
  disown(t);
  Entry& e = entry(node);
  e.retain = e.retain || retained;
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
  if (input.unsafeGetTensorImpl()->inference) return nullptr;
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

}  // namespace tg
