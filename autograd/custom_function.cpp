// Custom operations (custom_function.hpp): the one tape entry a Function<Derived>::apply
// records, and the backward that calls Derived::backward with libtorch's checks.
#include "custom_function.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>

#include "tape.hpp"

namespace tg::autograd {

// ---- IValue ---------------------------------------------------------------------------------
static const char* const kIValueKinds[] = {"None", "Double", "Int", "Bool", "Tensor", "String"};
IValue::IValue() = default;
IValue::IValue(double v) : tag_(Tag::Double), double_(v) {}
IValue::IValue(int64_t v) : tag_(Tag::Int), int_(v) {}
IValue::IValue(int v) : tag_(Tag::Int), int_(v) {}
IValue::IValue(bool v) : tag_(Tag::Bool), bool_(v) {}
IValue::IValue(Tensor v) : tag_(Tag::Tensor), tensor_(std::move(v)) {}
IValue::IValue(std::string v) : tag_(Tag::String), string_(std::move(v)) {}
IValue::IValue(const char* v) : tag_(Tag::String), string_(v) {}
const char* IValue::tagKind() const { return kIValueKinds[static_cast<int>(tag_)]; }
void IValue::bad_access(Tag want) const {
  fail(std::string("IValue: expected ") + kIValueKinds[static_cast<int>(want)] + " but got " +
       tagKind());
}

namespace detail {

// The op's tape node. It lives in its Entry (Entry::custom) once recorded.
struct CustomOp : CustomNode {
  struct Output {
    Shape shape;
    ScalarType dtype = kFloat;
    bool differentiable = false;
    int64_t offset = 0;  // in the packed output (several outputs)
  };
  AutogradContext ctx;
  UserBackward user = nullptr;
  const char* name = "";
  std::vector<bool> is_var;  // per forward argument
  variable_list inputs;      // only until recorded: the entry keeps edges, not values
  std::vector<Shape> in_shape;
  std::vector<ScalarType> in_dtype;
  std::vector<bool> needs;  // per tensor input
  std::vector<Output> outs;
  bool packed = false;  // forward returned a variable_list
  bool recorded = false;

  void backward(const Entry& e, const Tensor& g, Tensor* gin) override;
  void save(const Tensor& out, const Tensor& recorded_out);
};

// Names are interned: an Entry's op name must outlive every entry.
static const char* op_name(const std::type_info& type) {
  static std::unordered_map<std::string, std::string> names;
  auto it = names.find(type.name());
  if (it != names.end()) return it->second.c_str();
  int status = 0;
  char* d = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
  std::string pretty = status == 0 && d ? d : type.name();
  std::free(d);
  return names.emplace(type.name(), pretty).first->second.c_str();
}

static void custom_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  e.extra->custom->backward(e, g, gin);
}

void CustomOp::backward(const Entry& e, const Tensor& g, Tensor* gin) {
  variable_list grad_outputs;
  if (!packed) {
    grad_outputs.push_back(g);
  } else {  // unpack the gradient of the packed output; outputs without one get zeros
    for (const Output& o : outs)
      grad_outputs.push_back(o.differentiable
                                 ? g.narrow(0, o.offset, o.shape.numel()).reshape(o.shape)
                             : ctx.materialize_grads_ ? zeros(o.shape, o.dtype)
                                                      : Tensor());
  }
  variable_list r = user(&ctx, std::move(grad_outputs));
  // libtorch's checks (CppNode::apply): one gradient per forward argument; trailing undefined
  // extras are dropped; a non-tensor argument must get an undefined one.
  const size_t nf = is_var.size();
  if (r.size() > nf &&
      std::all_of(r.begin() + long(nf), r.end(), [](const Tensor& t) { return !t.defined(); }))
    r.resize(nf);
  if (r.size() != nf)
    fail(std::string("function ") + name + " returned an incorrect number of gradients (expected " +
         std::to_string(nf) + ", got " + std::to_string(r.size()) + ")");
  size_t k = 0;
  for (size_t i = 0; i < nf; ++i) {
    if (!is_var[i]) {
      if (r[i].defined())
        fail(std::string("function ") + name +
             " returned a gradient different that is defined at position " + std::to_string(i + 1) +
             ", but the corresponding forward input was not a Variable");
      continue;
    }
    Tensor gi = r[i];
    if (gi.defined() && e.needs(int(k))) {
      const Shape& want = in_shape[k];
      if (gi.sizes() != want.ref()) {  // libtorch sums a broadcast gradient back, else refuses
        bool reducible = gi.dim() >= int64_t(want.size());
        for (size_t d = 0; reducible && d < want.size(); ++d) {
          int64_t have = gi.size(int64_t(gi.dim() - int64_t(want.size()) + int64_t(d)));
          reducible = want[d] == have || want[d] == 1;
        }
        if (!reducible)
          fail(std::string("Function ") + name + " returned an invalid gradient at index " +
               std::to_string(k) + " - got " + to_string(gi.sizes()) +
               " but expected shape compatible with " + to_string(want));
        gi = sum_to(gi, want);
      }
      if (gi.scalar_type() != in_dtype[k]) gi = gi.to(in_dtype[k]);
      gin[k] = gi;
    }
    ++k;
  }
}

// Saves ctx's tensors with the tape's version counters. A saved output of a single-output op
// is attached to the op's own entry, so that create_graph can differentiate through it.
void CustomOp::save(const Tensor& out, const Tensor& recorded_out) {
  for (const Tensor& t : ctx.to_save_) {
    SavedTensor s;
    if (t.defined()) s.pack(out.defined() && t.is_same(out) ? recorded_out : t);
    saved.push_back(std::move(s));
  }
  ctx.to_save_.clear();
  inputs.clear();
  recorded = true;
}

CustomCall::CustomCall(const std::type_info& type, UserBackward backward, variable_list inputs,
                       std::vector<bool> is_var)
    : op_(std::make_unique<CustomOp>()) {
  op_->ctx.op_ = op_.get();
  op_->user = backward;
  op_->name = op_name(type);
  op_->is_var = std::move(is_var);
  for (const Tensor& t : inputs) {
    check_defined(t, op_->name);
    op_->in_shape.push_back(t.sizes());
    op_->in_dtype.push_back(t.scalar_type());
    op_->needs.push_back(GradMode::is_enabled() && t.requires_grad());
  }
  op_->inputs = std::move(inputs);
}
CustomCall::~CustomCall() = default;
AutogradContext* CustomCall::ctx() { return &op_->ctx; }

// forward ran with grad mode off, so its results are fresh -- unless it returned an input, or
// a tensor that already requires grad: those get a handle of their own (sharing storage), so
// recording does not re-base the caller's tensor.
static Tensor own_handle(const Tensor& out, const variable_list& inputs) {
  if (!out.defined()) return out;
  bool is_input =
      std::any_of(inputs.begin(), inputs.end(), [&](const Tensor& t) { return t.is_same(out); });
  return is_input || out.requires_grad() ? alias_with_shape(out, out.sizes()) : out;
}

// A dirty input returned as an output (mark_dirty) becomes that output itself, re-based onto
// `recorded` (the output's entry), as an in-place op's result; a leaf that requires grad may not
// be written so (libtorch's check).
static void check_dirty(const AutogradContext& ctx, const std::vector<const void*>& dirty,
                        const variable_list& inputs) {
  for (const Tensor& t : inputs)
    if (std::find(dirty.begin(), dirty.end(), t.unsafeGetTensorImpl()) != dirty.end() &&
        GradMode::is_enabled() && t.requires_grad() && t.is_leaf())
      fail("a leaf Variable that requires grad is being used in an in-place operation.");
  (void)ctx;
}
static Tensor rebase_dirty(const Tensor& out, const Tensor& recorded,
                           const std::vector<const void*>& dirty) {
  if (!out.defined() || !recorded.defined() || recorded.is_leaf() ||
      std::find(dirty.begin(), dirty.end(), out.unsafeGetTensorImpl()) == dirty.end())
    return recorded;
  Tape::get().rebase_output(out.unsafeGetTensorImpl(), recorded.unsafeGetTensorImpl()->node);
  ++out.unsafeGetTensorImpl()->storage->rebases;
  return out;
}

static bool differentiable(const Tensor& out, const std::vector<const void*>& non_diff) {
  return out.defined() && out.is_floating_point() &&
         std::find(non_diff.begin(), non_diff.end(), out.unsafeGetTensorImpl()) == non_diff.end();
}

Tensor CustomCall::finish(const Tensor& out) {
  const std::vector<const void*> dirty = op_->ctx.dirty_;
  check_dirty(op_->ctx, dirty, op_->inputs);
  Tensor res = own_handle(out, op_->inputs);
  if (!differentiable(out, op_->ctx.non_differentiable_)) return res;
  Entry* e = Tape::get().record(op_->name, custom_backward, op_->inputs, res);
  if (!e) return res;
  op_->outs.push_back({out.sizes(), out.scalar_type(), true, 0});
  op_->save(out, res);
  e->make_extra().custom = std::move(op_);
  return rebase_dirty(out, res, dirty);
}

variable_list CustomCall::finish(const variable_list& outs) {
  const std::vector<const void*> dirty = op_->ctx.dirty_;
  check_dirty(op_->ctx, dirty, op_->inputs);
  variable_list res;
  TensorList flat;
  int64_t offset = 0;
  for (const Tensor& o : outs) {
    res.push_back(own_handle(o, op_->inputs));
    CustomOp::Output info;
    if (o.defined()) info.shape = o.sizes(), info.dtype = o.scalar_type();
    info.differentiable = differentiable(o, op_->ctx.non_differentiable_);
    if (info.differentiable) {
      if (!flat.empty() && o.scalar_type() != flat[0].scalar_type())
        fail(std::string(op_->name) + ": differentiable outputs must share one dtype, got " +
             dtype_name(flat[0].scalar_type()) + " and " + dtype_name(o.scalar_type()));
      info.offset = offset;
      offset += o.numel();
      flat.push_back(o.reshape({-1}));
    }
    op_->outs.push_back(info);
  }
  if (flat.empty()) return res;
  Tensor packed;
  {
    NoGradGuard no_grad;
    packed = cat(flat);
  }
  Entry* e = Tape::get().record(op_->name, custom_backward, op_->inputs, packed);
  if (!e) return res;
  op_->packed = true;
  op_->save(Tensor(), Tensor());
  std::vector<CustomOp::Output> info = op_->outs;
  e->make_extra().custom = std::move(op_);  // before recording the slices: they may move the entry
  for (size_t i = 0; i < info.size(); ++i)
    if (info[i].differentiable)
      res[i] = rebase_dirty(
          outs[i], packed.narrow(0, info[i].offset, info[i].shape.numel()).reshape(info[i].shape),
          dirty);
  return res;
}

}  // namespace detail

// ---- the context ----------------------------------------------------------------------------
void AutogradContext::save_for_backward(variable_list to_save) { to_save_ = std::move(to_save); }

variable_list AutogradContext::get_saved_variables() const {
  if (!op_ || !op_->recorded) return to_save_;
  variable_list r;
  for (size_t k = 0; k < op_->saved.size(); ++k)
    r.push_back(op_->saved[k].value.defined() ? op_->saved[k].unpack(op_->name, k) : Tensor());
  return r;
}

void AutogradContext::mark_non_differentiable(const variable_list& outputs) {
  for (const Tensor& t : outputs)
    if (t.defined()) non_differentiable_.push_back(t.unsafeGetTensorImpl());
}

void AutogradContext::mark_dirty(const variable_list& inputs) {
  for (const Tensor& t : inputs)
    if (t.defined()) {
      dirty_.push_back(t.unsafeGetTensorImpl());
      ++t.unsafeGetTensorImpl()->storage->version;  // as libtorch: the write is a new version
    }
}

// UndefinedGrad: an identity custom op whose backward returns no gradient.
namespace {
struct UndefinedGradFn : Function<UndefinedGradFn> {
  static Tensor forward(AutogradContext*, Tensor x) { return x.detach(); }
  static variable_list backward(AutogradContext*, variable_list) { return {Tensor()}; }
};
}  // namespace
variable_list UndefinedGrad::apply(const variable_list& inputs) {
  variable_list out;
  for (const Tensor& t : inputs) out.push_back(UndefinedGradFn::apply(t));
  return out;
}

bool AutogradContext::needs_input_grad(size_t i) const {
  if (!op_ || i >= op_->needs.size())
    fail("needs_input_grad: index " + std::to_string(i) + " out of range for " +
         std::to_string(op_ ? op_->needs.size() : 0) + " tensor inputs");
  // In backward, the sweep says which inputs it wants (tape_sweep.cpp); else recording's view.
  return op_->wanted.empty() ? bool(op_->needs[i]) : bool(op_->wanted[i]);
}
bool AutogradContext::needs_input_grad(std::initializer_list<IndexRange> ranges) const {
  for (const IndexRange& r : ranges)
    for (size_t i = r.first; i < r.second; ++i)
      if (needs_input_grad(i)) return true;
  return false;
}

}  // namespace tg::autograd
