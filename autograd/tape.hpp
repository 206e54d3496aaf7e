// The tape: an explicit Wengert list of recorded operations. Read this file first.
//
//   auto x = tg::tensor({1.0, 2.0}, tg::requires_grad());   // a leaf: node = -1
//   auto y = x * x;        // tape[0] = {op "mul", inputs (x, x), saves x, x}    y.node = 0
//   auto z = (y + x).sum();// tape[1] = {op "add", inputs (y, x)}                 (y+x).node = 1
//                          // tape[2] = {op "sum", inputs (tape[1])}             z.node = 2
//   z.backward();          // seeds tape[2].grad = 1, then sweeps i = 2, 1, 0:
//                          //   entry i's backward turns tape[i].grad into input gradients and
//                          //   `+=`s them into tape[input].grad (non-leaf) or x.grad (leaf).
//
// Recording appends one Entry (tape.cpp); backward walks the list in reverse (Tape::sweep in
// tape_sweep.cpp: Stan Math's reverse loop) and skips entries that no gradient reached, so
// graphs recorded side by side don't interfere. After a backward without retain_graph, the
// swept entries drop their saved tensors at once.
//
// Memory rule: an entry lives while its output tensor is alive or a live entry consumes it.
// An entry that saves its own output for backward (tanh, exp, log_softmax) holds it like any
// saved value, and that one reference doesn't count: the output is dead when the entry's is the
// only one left (Entry::dead).
// Entries whose output died without a backward (metrics, validation outputs) are collected:
// dead entries at the end of the list are popped on every record, and the whole list is
// compacted when it has doubled since the last collection. So a training loop's tape stays flat
// whatever outputs it drops -- exactly the outputs you still hold keep their history.
//
// Several outputs (split, chunk, unbind). An entry has one output, so an op with n outputs is
// recorded as n + 1 entries: the op's own entry (its input, its backward; n_out = n, no `out`),
// then one small entry per output k, which consumes the op's entry through an edge marked
// `output = k` and passes its gradient on unchanged:
//   auto ps = x.unbind(0);  // tape[3] = {op "unbind", inputs (x), n_out 2}
//                           // tape[4] = {op "output", inputs (#3.0)}     ps[0].node = 4
//                           // tape[5] = {op "output", inputs (#3.1)}     ps[1].node = 5
// The sweep puts a gradient arriving through an `output = k` edge into slot k of the op's
// `out_grads` instead of its `grad`; the op's entry comes later in the reverse walk than all
// its outputs, so its backward sees every output's gradient at once (undefined where none
// arrived) and computes the input's gradient in one pass: a cat of the pieces for split,
// instead of one zero-padded input-sized gradient per piece. The memory rule is unchanged: the
// op's entry has no output of its own and lives while one of its output entries does.
//
// One tape per process, used from one thread at a time (kernels may use several threads).
#pragma once

#include <array>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

#include "pool.hpp"
#include "source_line.hpp"
#include "tensor_impl.hpp"

namespace tg {

// Grad mode (NoGradGuard, AutoGradMode, GradMode): the one piece of global state besides the
// tape itself, per thread. Inline because every op and backward formula asks.
// Inference mode (c10::InferenceMode, functions.hpp) turns grad mode off and marks every tensor
// made while it lives an inference tensor (TensorImpl::inference): one the tape never records
// through or saves (its rules are in autograd/inference_mode.cpp).
namespace detail {
inline thread_local bool grad_mode = true;
inline thread_local bool inference_mode = false;
}  // namespace detail
inline bool grad_enabled() { return detail::grad_mode; }

// Where an input's gradient goes: a tape entry (non-leaf) or a leaf's TensorImpl. 16 bytes:
// a tape holds fewer than 2^31 entries (Tape::emplace checks), so indices fit 32 bits.
struct Edge {
  Tensor leaf;
  int32_t node = -1;
  int32_t output = -1;  // >= 0: the gradient is for this output of a multi-output entry (top)
  bool active() const { return node >= 0 || leaf.defined(); }
};

// A tensor kept for backward: its value (sharing storage), the version it had when saved, and
// where it came from on the tape, so that a create_graph backward can differentiate through it.
struct SavedTensor {
  Edge edge;
  Tensor value;
  uint32_t version = 0;
  // Keeps t (sharing storage), its current version and its place on the tape.
  void pack(const Tensor& t);
  // The value back; throws tg::Error naming `op` if it was modified in place since. During a
  // create_graph backward it comes back attached to its place on the tape.
  Tensor unpack(const char* op, size_t k) const;
};

struct Entry;
// Only entries recorded by a custom op (autograd/custom_function.hpp) have one, so ordinary
// entries allocate nothing for it: it owns the op's context -- any number of saved variables,
// which the sweep's collection and release see here -- and runs the user's backward.
struct CustomNode {
  virtual ~CustomNode() = default;
  std::vector<SavedTensor> saved;
  // During its backward: which inputs this sweep wants a gradient for (autograd::grad asks
  // for fewer than require grad), for AutogradContext::needs_input_grad.
  std::vector<bool> wanted;
  virtual void backward(const Entry& e, const Tensor& g, Tensor* gin) = 0;
};

// An op's backward: from the gradient `g` of its output, set gin[k] for each input k that needs
// one (leave it undefined otherwise). Written with tg:: ops, it runs under NoGradGuard unless
// create_graph is set, in which case the backward itself is recorded.
// An op whose entry sets `adds_into_grad` (mm, bmm, linear) may also find gin[k] already defined:
// then it is input k's own .grad, lent by the sweep, and the backward adds its gradient into
// it in place (a gemm with beta = 1) instead of writing a new tensor that the sweep would then
// add -- one pass over the gradient instead of three (zero, write, add). See Tape::sweep.
using BackwardFn = void (*)(const Entry& e, const Tensor& g, Tensor* gin);

// The shapes an entry keeps -- its inputs', a short list parameter, its output's -- packed
// into one array of dimensions: ops' shapes have a few dimensions each, and a Shape apiece (104
// bytes, room for twelve) would make every entry twice as large. A shape that no longer fits
// goes to a side array of full-size slots, allocated the first time that happens.
class EntryShapes {
 public:
  static constexpr int kShapes = 5, kSlots = 16;
  EntryShapes() = default;
  EntryShapes(EntryShapes&& o) noexcept { *this = std::move(o); }
  EntryShapes& operator=(EntryShapes&& o) noexcept {
    std::memcpy(slot_, o.slot_, sizeof slot_);  // memcpy: unused slots are uninitialised
    std::memcpy(len_, o.len_, sizeof len_);
    std::memcpy(off_, o.off_, sizeof off_);
    used_ = o.used_;
    spill_ = std::move(o.spill_);
    return *this;
  }
  IntArrayRef operator[](int k) const {
    return {off_[k] == kSpilled ? &spill_[size_t(k * Shape::kMaxDims)] : slot_ + off_[k], len_[k]};
  }
  void set(int k, IntArrayRef s) {
    if (s.size() > size_t(Shape::kMaxDims)) too_many_dims(s);
    int64_t* p;
    if (used_ + s.size() <= size_t(kSlots)) {
      off_[k] = used_, p = slot_ + used_, used_ = uint8_t(used_ + s.size());
    } else {
      if (!spill_) spill_ = std::make_unique<int64_t[]>(size_t(kShapes * Shape::kMaxDims));
      off_[k] = kSpilled, p = &spill_[size_t(k * Shape::kMaxDims)];
    }
    len_[k] = uint8_t(s.size());
    for (int64_t v : s) *p++ = v;
  }

 private:
  static constexpr uint8_t kSpilled = 255;
  // Out of line (tape.cpp), so that set() stays small enough to be inlined where it is called.
  [[noreturn]] static void too_many_dims(IntArrayRef s);
  int64_t slot_[kSlots];    // only the first used_ are set
  uint8_t len_[kShapes]{};  // every shape is empty until set
  uint8_t off_[kShapes]{};  // where in slot_ it starts, or kSpilled
  uint8_t used_ = 0;
  std::unique_ptr<int64_t[]> spill_;
};

// What only a few entries need sits behind one pointer (Entry::extra), so that an ordinary
// entry stays small: a long tape is written once forward and read once backward, and its size
// decides whether those walks stay in the cache.
struct EntryExtra {
  std::vector<Edge> more_in;           // inputs 3.. (only cat/stack have them)
  std::vector<int64_t> ints;           // a long parameter (cat's sizes, im2col's geometry)
  std::vector<HookSlot> hooks;         // register_hook on the output
  std::unique_ptr<CustomNode> custom;  // custom ops only (see CustomNode)
  // A multi-output op's entry (see the top): during a sweep the gradient of each output
  // (empty until the first one arrives), which its backward reads.
  std::vector<Tensor> out_grads;
  // Where the op was recorded, kept in anomaly mode only: the user's TG_HERE site, or else the
  // call stack (autograd/source_line.hpp).
  SourceLocation where{};  // line 0: none
  // Anomaly mode, an entry recorded by another entry's backward (create_graph): that entry's
  // name and label, for the "induced the previous calculation" warning.
  std::string induced_by;
  std::unique_ptr<detail::CallStack> stack;
};

struct Entry {
  static constexpr int kInline = 3;
  const char* op = "";
  BackwardFn backward = nullptr;
  int32_t n_in = 0;
  int32_t n_out = 0;             // a multi-output op's entry: its number of outputs (see the top)
  TensorImpl* out = nullptr;     // the output tensor while it lives (not owned)
  Tensor grad;                   // gradient of the output, summed during one sweep
  std::array<Edge, kInline> in;  // inputs 0..2
  std::array<SavedTensor, kInline> saved;      // values backward needs
  std::array<ScalarType, kInline> in_dtype{};  // dtypes (gradients are cast back)
  ScalarType out_dtype = kFloat;
  bool released = false;              // swept without retain_graph: saved tensors are gone
  bool retain = false;                // retain_grad() was called on the output
  bool holds_out = false;             // a saved slot holds the output itself (Entry::save)
  bool adds_into_grad = false;        // backward can add into a lent leaf .grad (BackwardFn)
  std::array<double, 2> d{};          // op parameters (exponent, bounds, ...)
  std::array<int64_t, 4> i{};         // op parameters (dims, flags, ...)
  EntryShapes shapes;                 // inputs 0..2, dims, the output (the accessors below)
  std::unique_ptr<EntryExtra> extra;  // see EntryExtra; null for most entries

  static constexpr int kDims = 3, kOut = 4;                // shapes[0..2] are the inputs'
  IntArrayRef in_shape(int k) const { return shapes[k]; }  // input k's (for sum_to)
  IntArrayRef out_shape() const { return shapes[kOut]; }
  IntArrayRef dims() const { return shapes[kDims]; }  // a short list parameter (kept shape, perm)
  void set_dims(IntArrayRef d) { shapes.set(kDims, d); }

  EntryExtra& make_extra() {  // extra, created on first use
    if (!extra) extra = std::make_unique<EntryExtra>();
    return *extra;
  }
  bool has_hooks() const { return extra && !extra->hooks.empty(); }
  // The output is gone, or only this entry's saved slot still holds it (see the top).
  bool dead() const { return !out || (holds_out && out->refs == 1); }
  // Did a gradient reach this entry in the current sweep (its own, or one of its outputs')?
  bool reached() const { return grad.defined() || (extra && !extra->out_grads.empty()); }
  bool needs(int k) const { return edge(k).active(); }  // does input k want a gradient?
  Edge& edge(int k) { return k < kInline ? in[k] : extra->more_in[size_t(k - kInline)]; }
  const Edge& edge(int k) const {
    return k < kInline ? in[k] : extra->more_in[size_t(k - kInline)];
  }
  // Every tape index this entry refers to (inputs and saved values), for collection.
  template <class F>
  void for_each_node(F&& f) {
    for (int k = 0; k < n_in; ++k) f(edge(k).node);
    for (SavedTensor& s : saved) f(s.edge.node);
    if (extra && extra->custom)
      for (SavedTensor& s : extra->custom->saved) f(s.edge.node);
  }
  // Saves a value for backward (by reference to its storage, with its current version).
  void save(int k, const Tensor& t);
  // Reads a saved value back; throws tg::Error if it was modified in place since. During a
  // create_graph backward the value comes back attached to its place on the tape.
  Tensor saved_value(int k) const {
    const SavedTensor& s = saved[size_t(k)];  // inline: a plain backward reading a good value
    if (!grad_enabled() && s.value.defined() &&
        s.value.unsafeGetTensorImpl()->storage->version == s.version)
      return s.value;
    return s.unpack(op, size_t(k));
  }
};

// The list's storage: chunks of kChunk entries that never move, so an entry stays in place
// while new ones are appended (a create_graph backward records while it holds an entry). Popped
// entries leave their chunk allocated for the next records (a training loop records the same
// number each step); chunks more than one past the end go back to the buffer cache.
class EntryList {
 public:
  static constexpr size_t kChunk = 64;
  EntryList() = default;
  EntryList(const EntryList&) = delete;
  EntryList& operator=(const EntryList&) = delete;
  ~EntryList() {
    clear();
    while (!chunks_.empty()) drop_chunk();
  }
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  Entry& operator[](size_t i) { return chunks_[i / kChunk][i % kChunk]; }
  const Entry& operator[](size_t i) const { return chunks_[i / kChunk][i % kChunk]; }
  Entry& back() { return (*this)[n_ - 1]; }
  Entry& emplace_back() {
    if (n_ == chunks_.size() * kChunk)
      chunks_.push_back(static_cast<Entry*>(pool::allocate(kChunk * sizeof(Entry))));
    // Default-initialised, not value-initialised (`Entry()`): every member has an initialiser,
    // and value-initialisation would first zero all ~400 bytes (a `rep stos` per record).
    Entry* e = new (&(*this)[n_]) Entry;
    ++n_;
    return *e;
  }
  void push_back(Entry&& e) { emplace_back() = std::move(e); }
  void pop_back() {
    (*this)[--n_].~Entry();
    if (chunks_.size() * kChunk >= n_ + 2 * kChunk) drop_chunk();
  }
  void clear() {
    while (n_ > 0) pop_back();
  }
  void swap(EntryList& o) noexcept { chunks_.swap(o.chunks_), std::swap(n_, o.n_); }

 private:
  void drop_chunk() {
    pool::release(chunks_.back(), kChunk * sizeof(Entry));
    chunks_.pop_back();
  }
  std::vector<Entry*> chunks_;
  size_t n_ = 0;
};

class Tape {
 public:
  // Appends an entry for `op` with the given inputs if grad mode is on and any input requires
  // grad; makes `out` its output and returns the entry (valid until the next record), else null.
  Entry* record(const char* op, BackwardFn fn, std::initializer_list<const Tensor*> inputs,
                Tensor& out);
  Entry* record(const char* op, BackwardFn fn, const std::vector<Tensor>& inputs, Tensor& out);
  // The same for an op with several outputs (see the top): returns the op's entry, whose
  // backward reads e.extra->out_grads (g is undefined), or null.
  Entry* record_outputs(const char* op, BackwardFn fn, const Tensor& input,
                        std::vector<Tensor>& outs);

  // The reverse sweep. With `inputs` empty, gradients accumulate into leaves' .grad() (backward);
  // otherwise they are returned for those tensors (autograd::grad).
  std::vector<Tensor> run_backward(const std::vector<Tensor>& roots,
                                   const std::vector<Tensor>& root_grads, bool retain_graph,
                                   bool create_graph, const std::vector<Tensor>& inputs,
                                   bool allow_unused);

  Entry& entry(int64_t node) { return entries_[size_t(node)]; }
  size_t size() const { return entries_.size(); }
  size_t live_entries() const;      // entries not yet collected and not released
  void output_died(TensorImpl* t);  // called by ~TensorImpl
  // t stops being its entry's output (an in-place op re-bases it onto a new entry).
  void disown(TensorImpl* t);
  // An in-place op's result: t (written in place) becomes the output of tape entry `node`.
  void rebase_output(TensorImpl* t, int64_t node);
  void collect();  // drop entries nothing can reach any more (see top)

  static Tape& get();  // the process's tape

 private:
  Entry* append(const char* op, BackwardFn fn, int n_in, Tensor& out);
  Entry& emplace(const char* op, BackwardFn fn, int n_in, Tensor* out);  // append, no collection
  void make_room();  // pops dead entries at the end, collects when the list has doubled
  void pop_dead_tail();
  void sweep(const std::vector<Tensor>& roots, const std::vector<Tensor>& root_grads,
             bool retain_graph, bool create_graph, bool capture,
             const std::unordered_map<int64_t, size_t>& input_of_node,
             const std::unordered_map<TensorImpl*, size_t>& input_of_leaf,
             std::vector<Tensor>& result);
  EntryList entries_;
  size_t kept_after_collect_ = 0;
  bool sweeping_ = false;
};

// Anomaly mode's checks, shared by the recording (tape.cpp) and the sweep (tape_sweep.cpp).
namespace detail {
bool all_finite(const Tensor& t);  // no NaN or Inf (true for undefined and integer tensors)
// "tape entry #3, recorded at file.cpp:41 in 'f'": the TG_HERE site if there is one, else the
// user's frame of the call stack captured when the op was recorded.
std::string entry_label(const SourceLocation& where, const CallStack* stack, size_t index);
std::string node_name_of(const Entry& e);  // PyTorch's name for the entry's node (graph.cpp)
// While set, entries recorded are marked as induced by this (anomaly mode; see EntryExtra).
void set_inducing(const std::string* what);
const std::string* inducing();
}  // namespace detail

// Shorthand used by every op: Tape::get().record(...).
inline Entry* record(const char* op, BackwardFn fn, std::initializer_list<const Tensor*> inputs,
                     Tensor& out) {
  return Tape::get().record(op, fn, inputs, out);
}

}  // namespace tg
