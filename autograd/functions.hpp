// The free functions of tg:: -- creation, arithmetic, reductions, shape and autograd helpers.
// Each differentiable one is defined, forward beside backward, in one autograd/ops_*.cpp file.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "tensor.hpp"

namespace tg {

// ---- creation (dtype defaults to float32; integer ranges to int64, as in libtorch) ----
Tensor empty(IntArrayRef size, TensorOptions o = {});
Tensor zeros(IntArrayRef size, TensorOptions o = {});
Tensor ones(IntArrayRef size, TensorOptions o = {});
Tensor full(IntArrayRef size, const Scalar& value, TensorOptions o = {});
Tensor eye(int64_t n, TensorOptions o = {});
Tensor eye(int64_t n, int64_t m, TensorOptions o = {});
Tensor arange(const Scalar& end, TensorOptions o = {});
Tensor arange(const Scalar& start, const Scalar& end, TensorOptions o = {});
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, TensorOptions o = {});
Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, TensorOptions o = {});
// Random tensors (random.cpp), drawing from `generator` or else the default generator exactly
// as libtorch does: one seed, the same numbers on both libraries.
Tensor rand(IntArrayRef size, TensorOptions o = {});
Tensor rand(IntArrayRef size, std::optional<Generator> generator, TensorOptions o = {});
Tensor randn(IntArrayRef size, TensorOptions o = {});
Tensor randn(IntArrayRef size, std::optional<Generator> generator, TensorOptions o = {});
Tensor randint(int64_t high, IntArrayRef size, TensorOptions o = kLong);
Tensor randint(int64_t high, IntArrayRef size, std::optional<Generator> generator,
               TensorOptions o = kLong);
Tensor randint(int64_t low, int64_t high, IntArrayRef size, TensorOptions o = kLong);
Tensor randint(int64_t low, int64_t high, IntArrayRef size, std::optional<Generator> generator,
               TensorOptions o = kLong);
Tensor randperm(int64_t n, TensorOptions o = kLong);
Tensor randperm(int64_t n, std::optional<Generator> generator, TensorOptions o = kLong);
Tensor normal(double mean, double std, IntArrayRef size,
              std::optional<Generator> generator = std::nullopt, TensorOptions o = {});
Tensor bernoulli(const Tensor& p, std::optional<Generator> generator = std::nullopt);
Tensor bernoulli(const Tensor& self, double p, std::optional<Generator> generator = std::nullopt);
Tensor multinomial(const Tensor& self, int64_t num_samples, bool replacement = false,
                   std::optional<Generator> generator = std::nullopt);
Tensor zeros_like(const Tensor& t, TensorOptions o = {});
Tensor ones_like(const Tensor& t, TensorOptions o = {});
Tensor empty_like(const Tensor& t, TensorOptions o = {});
Tensor full_like(const Tensor& t, const Scalar& v, TensorOptions o = {});
Tensor rand_like(const Tensor& t, TensorOptions o = {});
Tensor randn_like(const Tensor& t, TensorOptions o = {});
Tensor randint_like(const Tensor& t, int64_t high, TensorOptions o = {});
Tensor randint_like(const Tensor& t, int64_t low, int64_t high, TensorOptions o = {});
// Wraps `data` without copying, as libtorch: the tensor reads and writes the caller's memory,
// which must outlive it (clone() for a copy of one's own). With a deleter, the tensor owns the
// memory and calls deleter(data) when the last tensor on it dies.
Tensor from_blob(void* data, IntArrayRef size, TensorOptions o = {});
Tensor from_blob(void* data, IntArrayRef size, const std::function<void(void*)>& deleter,
                 TensorOptions o = {});
void manual_seed(uint64_t seed);

// tensor(...) from scalars, vectors and nested braced lists, e.g. tensor({{1.0, 2.0}, {3.0, 4.0}}).
// Floating values give float32, int and long int64, bools kBool, uint8_t/int8_t/int16_t their
// own dtypes (libtorch's rules); options may override the dtype. As in libtorch, one list holds
// one C++ type: tensor({1, 2.5}) throws (write 1.0). TensorData plays the part of libtorch's
// TensorDataContainer.
class TensorData {
 public:
  // (Out of line: inline, their push_backs instantiate vector growth in every program.)
  TensorData(double v);                                // NOLINT: implicit on purpose
  TensorData(float v);                                 // NOLINT
  TensorData(int v);                                   // NOLINT
  TensorData(long v);                                  // NOLINT
  TensorData(long long v);                             // NOLINT
  TensorData(bool v);                                  // NOLINT
  TensorData(uint8_t v);                               // NOLINT: kByte, as libtorch
  TensorData(int8_t v);                                // NOLINT: kChar
  TensorData(int16_t v);                               // NOLINT: kShort
  TensorData(std::initializer_list<TensorData> rows);  // NOLINT
  TensorData(const std::vector<double>& v);            // NOLINT
  TensorData(const std::vector<float>& v);             // NOLINT
  TensorData(const std::vector<int64_t>& v);           // NOLINT
  TensorData(const std::vector<int>& v);               // NOLINT
  TensorData(const std::vector<bool>& v);              // NOLINT
  TensorData(const std::vector<uint8_t>& v);           // NOLINT
  TensorData(const std::vector<int8_t>& v);            // NOLINT
  TensorData(const std::vector<int16_t>& v);           // NOLINT
  TensorData();  // `{}`: an empty list (shape {0}), as libtorch's TensorDataContainer()
  // Any contiguous range of numbers with data() and size() (c10::ArrayRef<T>, std::array).
  template <
      class R,
      class T = std::remove_cv_t<std::remove_pointer_t<decltype(std::declval<const R&>().data())>>,
      std::enable_if_t<std::is_arithmetic_v<T> && !std::is_same_v<R, std::vector<T>>, int> = 0>
  TensorData(const R& r)  // NOLINT
      : TensorData(std::vector<std::conditional_t<std::is_same_v<T, long>, int64_t, T>>(
            r.data(), r.data() + r.size())) {}
  Tensor to_tensor(TensorOptions o) const;
  // "{1, 2}", "{{1.5}}", "true": the literal as written (libtorch's TensorDataContainer).
  friend std::ostream& operator<<(std::ostream& os, const TensorData& d);

 private:
  void append(const TensorData& d);
  ScalarType kind_ = kBool;  // Bool < integers < Float: the first of the widest kind seen
  // The C++ type of the elements as libtorch names it (int is Int, double is Double): a braced
  // list must not mix them, as libtorch's TensorDataContainer insists.
  ScalarType source_ = kFloat;
  Shape shape_;
  std::vector<double> vals_;
  std::vector<int64_t> ints_;  // exact copies while every value is integral
};
Tensor tensor(const TensorData& data, TensorOptions o = {});
namespace detail {
using TensorDataContainer = TensorData;  // libtorch's name for it
}
Tensor scalar_tensor(const Scalar& v, TensorOptions o = {});

// ---- elementwise, with broadcasting ----
Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha = 1);
Tensor add(const Tensor& a, const Scalar& b, const Scalar& alpha = 1);
Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha = 1);
Tensor sub(const Tensor& a, const Scalar& b, const Scalar& alpha = 1);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Scalar& b);
// out = a * b written into out (libtorch's out= form): refused when a or b requires grad in
// grad mode, as libtorch's ("don't support automatic differentiation").
Tensor& mul_out(Tensor& out, const Tensor& a, const Tensor& b);
Tensor clone(const Tensor& x);
Tensor div(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Scalar& b);
// Python's // and %: rounded toward minus infinity, the remainder takes the divisor's sign.
// Integer division by zero throws ("ZeroDivisionError", as libtorch).
Tensor floor_divide(const Tensor& a, const Tensor& b);
Tensor floor_divide(const Tensor& a, const Scalar& b);
Tensor remainder(const Tensor& a, const Tensor& b);
Tensor remainder(const Tensor& a, const Scalar& b);
Tensor pow(const Tensor& a, const Tensor& e);
Tensor pow(const Tensor& a, const Scalar& e);
Tensor pow(const Scalar& a, const Tensor& e);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);
Tensor where(const Tensor& cond, const Tensor& a, const Scalar& b);
Tensor where(const Tensor& cond, const Scalar& a, const Tensor& b);
Tensor neg(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor log1p(const Tensor& x);
Tensor expm1(const Tensor& x);
Tensor erf(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor rsqrt(const Tensor& x);
Tensor square(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor sin(const Tensor& x);
Tensor cos(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor log_sigmoid(const Tensor& x);  // log(sigmoid(x)) without overflow
Tensor relu(const Tensor& x);
Tensor sign(const Tensor& x);
Tensor reciprocal(const Tensor& x);
Tensor clamp(const Tensor& x, std::optional<Scalar> min, std::optional<Scalar> max = std::nullopt);
Tensor clamp_min(const Tensor& x, const Scalar& min);
Tensor clamp_max(const Tensor& x, const Scalar& max);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor logical_not(const Tensor& x);
Tensor logical_and(const Tensor& a, const Tensor& b);
Tensor logical_or(const Tensor& a, const Tensor& b);
Tensor isnan(const Tensor& x);
Tensor isinf(const Tensor& x);
Tensor isfinite(const Tensor& x);
// all / any over everything or one dim: Bool results (ops_logical.cpp).
Tensor all(const Tensor& x);
Tensor all(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor any(const Tensor& x);
Tensor any(const Tensor& x, int64_t dim, bool keepdim = false);
bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-5, double atol = 1e-8,
              bool equal_nan = false);
bool equal(const Tensor& a, const Tensor& b);

// ---- linear algebra ----
Tensor matmul(const Tensor& a, const Tensor& b);  // 1-D, 2-D and broadcast-batched
Tensor mm(const Tensor& a, const Tensor& b);
Tensor bmm(const Tensor& a, const Tensor& b);
Tensor dot(const Tensor& a, const Tensor& b);
Tensor mv(const Tensor& a, const Tensor& v);
Tensor t(const Tensor& x);
// beta * self + alpha * (product), as libtorch (ops_compose.cpp); beta = 0 ignores self.
Tensor addmm(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar& beta = 1,
             const Scalar& alpha = 1);
Tensor addmv(const Tensor& self, const Tensor& mat, const Tensor& vec, const Scalar& beta = 1,
             const Scalar& alpha = 1);
Tensor addbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2,
              const Scalar& beta = 1, const Scalar& alpha = 1);  // batch products summed
Tensor baddbmm(const Tensor& self, const Tensor& batch1, const Tensor& batch2,
               const Scalar& beta = 1, const Scalar& alpha = 1);
Tensor addcmul(const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value = 1);
Tensor addcdiv(const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value = 1);
// "ij,jk->ik", "bij,bjk->bik", "ii->i", "ii", "i,j->ij", ... (letters only, no "...").
Tensor einsum(const std::string& equation, const TensorList& tensors);
// y = input W^T + b over input's last dim (libtorch's at::linear); bias may be undefined.
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = {});

// ---- reductions ----
Tensor sum(const Tensor& x, std::optional<ScalarType> dtype = std::nullopt);
Tensor sum(const Tensor& x, IntArrayRef dim, bool keepdim = false,
           std::optional<ScalarType> dtype = std::nullopt);
Tensor mean(const Tensor& x, std::optional<ScalarType> dtype = std::nullopt);
Tensor mean(const Tensor& x, IntArrayRef dim, bool keepdim = false,
            std::optional<ScalarType> dtype = std::nullopt);
Tensor prod(const Tensor& x, std::optional<ScalarType> dtype = std::nullopt);
Tensor prod(const Tensor& x, int64_t dim, bool keepdim = false,
            std::optional<ScalarType> dtype = std::nullopt);
Tensor max(const Tensor& x);
std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor min(const Tensor& x);
// Two tensors: the elementwise maximum / minimum, as libtorch's max(a, b) / min(a, b).
inline Tensor max(const Tensor& a, const Tensor& b) { return maximum(a, b); }
inline Tensor min(const Tensor& a, const Tensor& b) { return minimum(a, b); }
std::tuple<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor amax(const Tensor& x, IntArrayRef dim = {}, bool keepdim = false);
Tensor amin(const Tensor& x, IntArrayRef dim = {}, bool keepdim = false);
Tensor argmax(const Tensor& x, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor argmin(const Tensor& x, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
inline Tensor var(const Tensor& x) { return x.var_all(true); }
template <class B, std::enable_if_t<std::is_same_v<B, bool>, int> = 0>
Tensor var(const Tensor& x, B unbiased) {
  return x.var_all(unbiased);
}
Tensor var(const Tensor& x, IntArrayRef dim, bool unbiased = true, bool keepdim = false);
inline Tensor std(const Tensor& x) { return x.std_all(true); }
template <class B, std::enable_if_t<std::is_same_v<B, bool>, int> = 0>
Tensor std(const Tensor& x, B unbiased) {
  return x.std_all(unbiased);
}
Tensor std(const Tensor& x, IntArrayRef dim, bool unbiased = true, bool keepdim = false);
// (var, mean) and (std, mean) over dims, as libtorch's var_mean / std_mean.
std::tuple<Tensor, Tensor> var_mean(const Tensor& x, IntArrayRef dim, bool unbiased = true,
                                    bool keepdim = false);
std::tuple<Tensor, Tensor> std_mean(const Tensor& x, IntArrayRef dim, bool unbiased = true,
                                    bool keepdim = false);
Tensor norm(const Tensor& x, const Scalar& p = 2);
Tensor norm(const Tensor& x, std::optional<Scalar> p, IntArrayRef dim, bool keepdim = false);
Tensor logsumexp(const Tensor& x, IntArrayRef dim, bool keepdim = false);
Tensor softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);
Tensor log_softmax(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype = std::nullopt);

// ---- shape ----
Tensor reshape(const Tensor& x, IntArrayRef shape);
Tensor flatten(const Tensor& x, int64_t start_dim = 0, int64_t end_dim = -1);
// Splits dim into `sizes` (one may be -1): the inverse of flatten.
Tensor unflatten(const Tensor& x, int64_t dim, IntArrayRef sizes);
// int64 (*self.shape, num_classes) with ones at the int64 indices self; -1: max(self) + 1.
Tensor one_hot(const Tensor& self, int64_t num_classes = -1);
Tensor squeeze(const Tensor& x);
Tensor squeeze(const Tensor& x, int64_t dim);
Tensor unsqueeze(const Tensor& x, int64_t dim);
Tensor transpose(const Tensor& x, int64_t d0, int64_t d1);
Tensor permute(const Tensor& x, IntArrayRef dims);
Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length);
// libtorch's slice: Python bounds (negative, clamped), step >= 1 (ops_slice_repeat.cpp).
Tensor slice(const Tensor& x, int64_t dim = 0, std::optional<int64_t> start = std::nullopt,
             std::optional<int64_t> end = std::nullopt, int64_t step = 1);
// Tiles x repeats[i] times along dim i (x's shape left-padded with 1s to repeats' length).
Tensor repeat(const Tensor& x, IntArrayRef repeats);
Tensor select(const Tensor& x, int64_t dim, int64_t index);
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index);
Tensor gather(const Tensor& x, int64_t dim, const Tensor& index);
Tensor scatter_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src);
Tensor index_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source);
// ---- advanced indexing (ops_advanced_index.cpp, indexing.cpp; libtorch's at:: forms) ----
// Flat positions into x (negative from the end): take reads them, put writes (or adds) source.
Tensor take(const Tensor& x, const Tensor& index);
Tensor put(const Tensor& x, const Tensor& index, const Tensor& source, bool accumulate = false);
Tensor nonzero(const Tensor& x);  // (n, x.dim()) int64 coordinates of the non-zero elements
// x[i0, i1, ...] with an index tensor (int64 or Bool mask) or nullopt (the whole dim) per dim.
Tensor index(const Tensor& x, const std::vector<std::optional<Tensor>>& indices);
Tensor index_put(const Tensor& x, const std::vector<std::optional<Tensor>>& indices,
                 const Tensor& values, bool accumulate = false);
const Tensor& index_put_(const Tensor& x, const std::vector<std::optional<Tensor>>& indices,
                         const Tensor& values, bool accumulate = false);
// x with value where mask (Bool, broadcast) is true; a tensor value must be 0-d.
Tensor masked_fill(const Tensor& x, const Tensor& mask, const Scalar& value);
Tensor masked_fill(const Tensor& x, const Tensor& mask, const Tensor& value);
// Stable sorts along dim (ops_sort.cpp); values are differentiable, indices int64.
std::tuple<Tensor, Tensor> sort(const Tensor& x, int64_t dim = -1, bool descending = false);
std::tuple<Tensor, Tensor> sort(const Tensor& x, std::optional<bool> stable, int64_t dim = -1,
                                bool descending = false);
Tensor argsort(const Tensor& x, int64_t dim = -1, bool descending = false);
std::tuple<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t dim = -1, bool largest = true,
                                bool sorted = true);
// Coordinate grids from 0-D/1-D tensors; indexing "ij" (matrix) or "xy" (Cartesian).
std::vector<Tensor> meshgrid(const TensorList& tensors);
std::vector<Tensor> meshgrid(const TensorList& tensors, const std::string& indexing);
Tensor cat(const TensorList& tensors, int64_t dim = 0);
Tensor stack(const TensorList& tensors, int64_t dim = 0);
std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim = 0);
std::vector<Tensor> split(const Tensor& x, int64_t split_size, int64_t dim = 0);
std::vector<Tensor> split_with_sizes(const Tensor& x, IntArrayRef split_sizes, int64_t dim = 0);
std::vector<Tensor> unbind(const Tensor& x, int64_t dim = 0);
Tensor expand(const Tensor& x, IntArrayRef shape);
// The adjoint of broadcasting: sum `g` down to `shape` (tinygrad's unbroadcast).
Tensor sum_to(const Tensor& g, IntArrayRef shape);
// Shape that `a` and `b` broadcast to; throws tg::Error naming `op` if they don't.
Shape broadcast_shapes(IntArrayRef a, IntArrayRef b, const char* op = "broadcast");

// ---- grad mode ----
// While a NoGradGuard lives, operations record nothing on the tape.
struct NoGradGuard {
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool prev_;
};
struct GradMode {
  static bool is_enabled();
  static void set_enabled(bool on);
};
struct AutoGradMode {
  explicit AutoGradMode(bool on);
  ~AutoGradMode();
  AutoGradMode(const AutoGradMode&) = delete;
  AutoGradMode& operator=(const AutoGradMode&) = delete;

 private:
  bool prev_;
};

namespace autograd {
using tg::AutoGradMode;  // libtorch's torch::autograd names them too
using tg::GradMode;
using tg::NoGradGuard;
// While a DetectAnomalyGuard lives, the first NaN or Inf that a recorded op produces in its
// output (forward) or in an input's gradient (backward) throws tg::Error naming the op and its
// tape entry (print_tape shows the entries). It costs one scan per op, so it is for debugging.
struct DetectAnomalyGuard {
  explicit DetectAnomalyGuard(bool check_nan = true);  // check_nan false: no checks
  ~DetectAnomalyGuard();
  DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
  DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;

 private:
  bool prev_;
};
bool anomaly_mode_enabled();
// Whether anomaly messages can name the user's source line without TG_HERE: tapegrad was built
// with libdw, which reads the line from the call stack (needs the program built with -g).
bool anomaly_source_lines_supported();

// Where an op was recorded, for anomaly messages. Normally nothing is needed: in anomaly mode
// each recorded op keeps its call stack, and the message names the innermost line of the
// user's code (autograd/source_line.hpp; needs -g and libdw). `TG_HERE;` names a site by hand,
// for programs without debug information: it marks the rest of the enclosing scope as the
// caller's file:line (a thread_local set by an RAII CallSite), and ops recorded under it keep
// that site instead of a stack:
//   tg::autograd::DetectAnomalyGuard anomaly;
//   TG_HERE;
//   auto y = x.log();   // "anomaly detected: the forward of log (tape entry #0, recorded at
//                       //  my_model.cpp:41 in 'forward') produced NaN or Inf ..."
// Why not a defaulted SourceLocation parameter on every op: that would change every op's
// signature (function pointers, overload sets, operators, libtorch source compatibility) and
// point into tapegrad's own composites rather than the user's line.
struct CallSite {
  explicit CallSite(SourceLocation loc = SourceLocation::here());
  ~CallSite();
  CallSite(const CallSite&) = delete;
  CallSite& operator=(const CallSite&) = delete;
  static const SourceLocation* current();  // the innermost live site, or null

 private:
  SourceLocation loc_;
  const SourceLocation* prev_;
};
#define TG_CALL_SITE_CAT2(a, b) a##b
#define TG_CALL_SITE_CAT(a, b) TG_CALL_SITE_CAT2(a, b)
#define TG_HERE ::tg::autograd::CallSite TG_CALL_SITE_CAT(tg_call_site_, __LINE__)

// Gradients of `outputs` with respect to `inputs`, returned instead of accumulated into .grad().
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs = {},
                         std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                         bool allow_unused = false);
// backward() for several roots at once.
void backward(const std::vector<Tensor>& tensors, const std::vector<Tensor>& grad_tensors = {},
              std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
              const std::vector<Tensor>& inputs = {});
// A tensor sharing t's storage, with requires_grad set as asked and no history.
Tensor make_variable(const Tensor& t, bool requires_grad = false);
}  // namespace autograd

}  // namespace tg

#include "functions_activation.hpp"  // elu, hardtanh, prelu, ... (ATen's activations)
#include "functions_distance.hpp"    // cosine_similarity, pairwise_distance, pdist
#include "functions_nn.hpp"          // convolution, pooling, normalisation, cells
