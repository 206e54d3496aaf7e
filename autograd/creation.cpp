// Creating tensors: factories, tensor(...) literals, random numbers, and dtype conversion.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <ostream>

#include "c10_util.hpp"
#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

// ---- dtype conversion (not recorded; Tensor::to records) ----
namespace kern {
Tensor cast(const Tensor& x, ScalarType to) {
  if (x.scalar_type() == to) return x;
  Tensor out = make_tensor(x.sizes(), to);
  dispatch(x.scalar_type(), [&](auto from_tag) {
    using F = decltype(from_tag);
    dispatch(to, [&](auto to_tag) {
      using T = decltype(to_tag);
      const F* p = ptr<F>(x);
      T* o = ptr<T>(out);
      const int64_t n = x.numel();  // hoisted: numel() is an out-of-line call
      for (int64_t i = 0; i < n; ++i) {
        o[i] = convert<T>(p[i]);
      }
    });
  });
  return out;
}
void overflow_error(const char* type_name) {
  fail(std::string("value cannot be converted to type ") + type_name + " without overflow");
}
}  // namespace kern

// Every factory ends here: the device must be the CPU, requires_grad is applied.
// Every factory's last step: refuse what tapegrad cannot make (another device, a sparse
// layout), then apply requires_grad. random.cpp's factories call it too.
Tensor detail::finish_factory(Tensor t, const TensorOptions& o, const char* op) {
  check_cpu(o.device(), op);
  if (o.layout() != kStrided)
    fail(std::string(op) + ": tapegrad tensors are dense (strided) only; layout " +
         str(o.layout()) + " is not supported");
  if (o.requires_grad()) t.requires_grad_(true);
  return t;
}

static Tensor finish(Tensor t, const TensorOptions& o, const char* op) {
  return detail::finish_factory(std::move(t), o, op);
}

Tensor empty(IntArrayRef size, TensorOptions o) {
  return finish(make_tensor(size, o.dtype()), o, "empty");
}

Tensor full(IntArrayRef size, const Scalar& v, TensorOptions o) {
  ScalarType t = o.has_dtype() ? o.dtype() : kern::scalar_dtype(v);
  Tensor out = make_tensor(size, t);
  kern::dispatch(t, [&](auto tag) {
    using T = decltype(tag);
    T val = kern::checked<T>(v);
    T* p = ptr<T>(out);
    std::fill(p, p + out.numel(), val);
  });
  return finish(out, o, "full");
}
Tensor zeros(IntArrayRef size, TensorOptions o) { return full(size, 0.0, o.dtype(o.dtype())); }
Tensor ones(IntArrayRef size, TensorOptions o) { return full(size, 1.0, o.dtype(o.dtype())); }
Tensor scalar_tensor(const Scalar& v, TensorOptions o) {
  return full({}, v, o.dtype(o.has_dtype() ? o.dtype() : kern::scalar_dtype(v)));
}

Tensor eye(int64_t n, int64_t m, TensorOptions o) {
  if (n < 0 || m < 0)
    fail("eye: n and m must be non-negative, got " + std::to_string(n) + ", " + std::to_string(m));
  Tensor out;
  {
    NoGradGuard no_grad;
    out = zeros({n, m}, o.dtype(o.dtype()));
    kern::dispatch(out.scalar_type(), [&](auto tag) {
      using T = decltype(tag);
      for (int64_t i = 0; i < std::min(n, m); ++i) ptr<T>(out)[i * m + i] = T(1);
    });
  }
  return finish(out, o, "eye");
}
Tensor eye(int64_t n, TensorOptions o) { return eye(n, n, o); }

Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, TensorOptions o) {
  bool integral = start.is_integral() && end.is_integral() && step.is_integral();
  ScalarType t = o.has_dtype() ? o.dtype() : integral ? kLong : detail::default_dtype;
  double a = start.to_double(), b = end.to_double(), s = step.to_double();
  if (s == 0) fail("arange: step must be nonzero");
  if ((s > 0 && b < a) || (s < 0 && b > a))
    fail("arange: upper bound and larger bound inconsistent with step sign");
  // An integer dtype counts in integers, as libtorch: the values come from start and step
  // truncated (arange(0.5, 3.0, 1.5, kInt) is [0, 1]); the length too for Long ([0, 1, 2]:
  // (3 - 0) / 1), but from the numbers as given for the other types (ceil(2.5 / 1.5) = 2).
  auto as_long = [](const Scalar& v) {
    return v.is_floating_point() ? kern::convert<int64_t>(v.to_double()) : v.to_long();
  };
  const int64_t ia = as_long(start), ib = as_long(end), is = as_long(step);
  if (is_integral(t) && is == 0) fail("arange: step must be nonzero");
  const int64_t n = t == kLong ? int64_t(std::ceil(double(ib - ia) / double(is)))
                               : int64_t(std::ceil((b - a) / s));
  Tensor out = make_tensor({n}, t);
  kern::dispatch(t, [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < n; ++i)
      ptr<T>(out)[i] = is_integral(t) ? T(ia + i * is) : kern::convert<T>(a + double(i) * s);
  });
  return finish(out, o, "arange");
}
Tensor arange(const Scalar& start, const Scalar& end, TensorOptions o) {
  return arange(start, end, 1, o);
}
Tensor arange(const Scalar& end, TensorOptions o) { return arange(0, end, 1, o); }

Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, TensorOptions o) {
  if (steps < 0) fail("linspace: number of steps must be non-negative");
  Tensor out = make_tensor({steps}, o.dtype());
  double a = start.to_double(), b = end.to_double();
  double step = steps > 1 ? (b - a) / double(steps - 1) : 0;
  kern::dispatch(o.dtype(), [&](auto tag) {
    using T = decltype(tag);
    // Both halves count from their own end, as PyTorch does, so the endpoints are exact.
    for (int64_t i = 0; i < steps; ++i)
      ptr<T>(out)[i] =
          kern::convert<T>(i < steps / 2 ? a + step * double(i) : b - step * double(steps - 1 - i));
  });
  return finish(out, o, "linspace");
}

// No dtype given: the input's (libtorch's TensorOptions options = {}).
static TensorOptions like(const Tensor& t, const TensorOptions& r) {
  return r.has_dtype() ? r : r.dtype(t.scalar_type());
}
Tensor zeros_like(const Tensor& t, TensorOptions o) { return zeros(t.sizes(), like(t, o)); }
Tensor ones_like(const Tensor& t, TensorOptions o) { return ones(t.sizes(), like(t, o)); }
Tensor empty_like(const Tensor& t, TensorOptions o) { return empty(t.sizes(), like(t, o)); }
Tensor full_like(const Tensor& t, const Scalar& v, TensorOptions o) {
  return full(t.sizes(), v, like(t, o));
}

// The caller's memory, not a copy (as libtorch): writes through either side show in the other,
// and the memory must outlive the tensor -- or be handed over with a deleter.
Tensor from_blob(void* data, IntArrayRef size, TensorOptions o) {
  return finish(make_external_tensor(data, size, o.dtype(), {}), o, "from_blob");
}
Tensor from_blob(void* data, IntArrayRef size, const std::function<void(void*)>& deleter,
                 TensorOptions o) {
  return finish(make_external_tensor(data, size, o.dtype(), deleter), o, "from_blob");
}

// ---- tensor(...) literals ----
TensorData::TensorData() : kind_(kFloat), source_(detail::default_dtype) { shape_.push_back(0); }
TensorData::TensorData(double v) : kind_(kFloat), source_(kDouble) { vals_.push_back(v); }
TensorData::TensorData(float v) : TensorData(double(v)) { source_ = kFloat; }
TensorData::TensorData(int v) : TensorData(int64_t(v)) { source_ = kInt; }
TensorData::TensorData(long v) : kind_(kLong), source_(kLong) {
  vals_.push_back(double(v)), ints_.push_back(v);
}
TensorData::TensorData(long long v) : TensorData(long(v)) {}
TensorData::TensorData(bool v) : kind_(kBool), source_(kBool) {
  vals_.push_back(v), ints_.push_back(v);
}
TensorData::TensorData(uint8_t v) : kind_(kByte), source_(kByte) {
  vals_.push_back(v), ints_.push_back(v);
}
TensorData::TensorData(int8_t v) : kind_(kChar), source_(kChar) {
  vals_.push_back(v), ints_.push_back(v);
}
TensorData::TensorData(int16_t v) : kind_(kShort), source_(kShort) {
  vals_.push_back(v), ints_.push_back(v);
}
// Sizes as libtorch's message writes them: "2, 3".
static std::string sizes_text(const Shape& s) {
  std::string r;
  for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r;
}
TensorData::TensorData(std::initializer_list<TensorData> rows) {
  shape_.push_back(int64_t(rows.size()));
  const TensorData* first = nullptr;
  for (const TensorData& r : rows) {
    if (first && r.shape_ != first->shape_)
      fail(str("Expected all sub-lists to have sizes: ", sizes_text(first->shape_), " (e.g. ",
               *first, "), but got sub-list ", r, " with sizes: ", sizes_text(r.shape_)));
    if (first && r.source_ != first->source_)
      fail(str("Expected all elements of the tensor to have the same scalar type: ", first->source_,
               ", but got element of scalar type: ", r.source_));
    if (!first) first = &r;
    append(r);
  }
  if (first) {
    for (int64_t s : first->shape_) shape_.push_back(s);
    source_ = first->source_;
  }
  if (rows.size() == 0) kind_ = kFloat;  // tensor({}) is an empty float tensor
}
void TensorData::append(const TensorData& d) {
  if (vals_.empty() || int(d.kind_) != int(kind_)) {
    auto rank = [](ScalarType t) { return t == kBool ? 0 : is_integral(t) ? 1 : 2; };
    if (vals_.empty() || rank(d.kind_) > rank(kind_)) kind_ = d.kind_;
  }
  vals_.insert(vals_.end(), d.vals_.begin(), d.vals_.end());
  ints_.insert(ints_.end(), d.ints_.begin(), d.ints_.end());
}
template <class V>
static void from_vector(const V& v, ScalarType kind, Shape& shape, std::vector<double>& vals,
                        std::vector<int64_t>& ints) {
  shape = {int64_t(v.size())};
  for (auto x : v) {
    vals.push_back(double(x));
    if (kind != kFloat) ints.push_back(int64_t(x));
  }
}
TensorData::TensorData(const std::vector<double>& v) : kind_(kFloat), source_(kDouble) {
  from_vector(v, kind_, shape_, vals_, ints_);
}
TensorData::TensorData(const std::vector<float>& v) : kind_(kFloat), source_(kFloat) {
  from_vector(v, kind_, shape_, vals_, ints_);
}
TensorData::TensorData(const std::vector<int64_t>& v) : kind_(kLong), source_(kLong) {
  from_vector(v, kind_, shape_, vals_, ints_);
}
TensorData::TensorData(const std::vector<int>& v) : kind_(kLong), source_(kInt) {
  from_vector(v, kind_, shape_, vals_, ints_);
}
TensorData::TensorData(const std::vector<bool>& v) : kind_(kBool), source_(kBool) {
  from_vector(v, kind_, shape_, vals_, ints_);
}
TensorData::TensorData(const std::vector<uint8_t>& v) : kind_(kByte), source_(kByte) {
  from_vector(v, kind_, shape_, vals_, ints_);
}
TensorData::TensorData(const std::vector<int8_t>& v) : kind_(kChar), source_(kChar) {
  from_vector(v, kind_, shape_, vals_, ints_);
}
TensorData::TensorData(const std::vector<int16_t>& v) : kind_(kShort), source_(kShort) {
  from_vector(v, kind_, shape_, vals_, ints_);
}

Tensor TensorData::to_tensor(TensorOptions o) const {
  // Floating-point literals take the default dtype (kind_ Float stands for all of them).
  ScalarType t = o.has_dtype() ? o.dtype() : kind_ == kFloat ? detail::default_dtype : kind_;
  Tensor out = make_tensor(shape_, t);
  const bool exact = ints_.size() == vals_.size();
  kern::dispatch(t, [&](auto tag) {
    using T = decltype(tag);
    T* p = ptr<T>(out);
    for (size_t i = 0; i < vals_.size(); ++i) {
      if constexpr (std::is_same_v<T, bool>)
        p[i] = vals_[i] != 0;
      else if constexpr (std::is_integral_v<T>)
        p[i] = exact ? T(ints_[i]) : kern::convert<T>(vals_[i]);
      else
        p[i] = T(vals_[i]);
    }
  });
  return finish(out, o, "tensor");
}
Tensor tensor(const TensorData& data, TensorOptions o) { return data.to_tensor(o); }

// Nested braces over shape_, the values as libtorch's TensorDataContainer prints them (bools as
// 1 / 0, integers exactly, floating-point values with the stream's defaults).
std::ostream& operator<<(std::ostream& os, const TensorData& d) {
  const bool exact = d.ints_.size() == d.vals_.size() && d.kind_ != kFloat;
  size_t next = 0;
  std::function<void(size_t)> rec = [&](size_t dim) {
    if (dim == d.shape_.size()) {
      if (exact)
        os << d.ints_[next];
      else
        os << d.vals_[next];
      ++next;
      return;
    }
    os << "{";
    for (int64_t k = 0; k < d.shape_[dim]; ++k) {
      if (k) os << ", ";
      rec(dim + 1);
    }
    os << "}";
  };
  rec(0);
  return os;
}

// one_hot (ATen's): an int64 tensor of shape (*self.shape, num_classes) with a 1 at each
// index; num_classes = -1 takes max(self) + 1. Not differentiable (indices in, counts out).
Tensor one_hot(const Tensor& self, int64_t num_classes) {
  check_defined(self, "one_hot");
  if (self.scalar_type() != kLong) fail("one_hot is only applicable to index tensor.");
  Shape shape = self.sizes();
  if (self.numel() == 0) {
    if (num_classes <= 0) fail("Can not infer total number of classes from empty tensor.");
    shape.push_back(num_classes);
    return zeros(shape, kLong);
  }
  Tensor flat = self.contiguous().reshape({-1});
  const int64_t* idx = flat.data_ptr<int64_t>();
  const int64_t n = flat.numel();
  const int64_t lo = *std::min_element(idx, idx + n), hi = *std::max_element(idx, idx + n);
  if (lo < 0) fail("Class values must be non-negative.");
  if (num_classes == -1)
    num_classes = hi + 1;
  else if (hi >= num_classes)
    fail("Class values must be smaller than num_classes.");
  shape.push_back(num_classes);
  Tensor out = zeros(shape, kLong);
  int64_t* o = out.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) o[i * num_classes + idx[i]] = 1;
  return out;
}

}  // namespace tg
