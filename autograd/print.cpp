// operator<< for tensors, Scalars, sizes and TensorOptions, laid out exactly as libtorch 1.13
// prints them (ATen/core/Formatting.cpp, c10/core/TensorOptions.cpp).
//
// A tensor prints as its values (converted to double), then `[ CPUFloatType{2,3} ]`. The values
// go through the caller's own stream: libtorch sets fixed / scientific / default float notation
// and a precision on that stream and restores the caller's state at the end, so anything the
// caller set (say setprecision(10)) shows wherever libtorch leaves it alone (0-d tensors,
// integral values). Doing the same, rather than formatting into strings, keeps those cases equal.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <ios>
#include <iostream>
#include <ostream>

#include "device.hpp"
#include "functions.hpp"
#include "tensor_impl.hpp"

namespace tg {
namespace {

// Restores the stream's format flags, precision and fill when a print ends (or throws).
class FormatRestorer {
 public:
  explicit FormatRestorer(std::ostream& os) : os_(os), saved_(nullptr) { saved_.copyfmt(os); }
  ~FormatRestorer() { os_.copyfmt(saved_); }
  FormatRestorer(const FormatRestorer&) = delete;
  FormatRestorer& operator=(const FormatRestorer&) = delete;

 private:
  std::ostream& os_;
  std::ios saved_;
};

// The columns of one block of values (a 1-d tensor or one matrix): every value is printed in
// `width` characters after dividing by `scale`; the notation has been set on the stream.
struct Columns {
  double scale = 1;
  int64_t width = 0;
};

// Number of digits before the point, as libtorch counts them (0 counts as one digit; values
// below 1 give 0 or less).
double digits_before_point(double magnitude) {
  return magnitude == 0 ? 1 : std::floor(std::log10(magnitude)) + 1;
}

// Picks the notation for values v[0..n) and sets it on the stream, as libtorch does:
//  - all finite values integral: plain (default notation, no decimals), or scientific once the
//    largest needs more than 9 digits;
//  - otherwise 4 decimals: scientific when the magnitudes span more than 4 decades, else fixed,
//    with a common factor `scale` printed above the block when the largest value has more than
//    5 digits before the point or is below 0.1.
// libtorch's "largest" follows a quirk kept here: it starts at the first finite value's
// magnitude and only grows on a later value that is larger *as a signed number*, so [1, -100]
// counts 1 as its largest.
Columns choose_columns(std::ostream& os, const double* v, int64_t n) {
  if (n == 0) return {1, 0};
  bool integral = true;
  for (int64_t i = 0; i < n && integral; ++i)
    if (std::isfinite(v[i]) && v[i] != std::ceil(v[i])) integral = false;
  int64_t first = 0;
  while (first < n && !std::isfinite(v[first])) ++first;
  double lo = 1, hi = 1;  // digits before the point of the smallest and "largest" magnitude
  if (first < n) {
    double smallest = std::fabs(v[first]), largest = smallest;
    for (int64_t i = first; i < n; ++i) {
      if (!std::isfinite(v[i])) continue;
      smallest = std::min(smallest, std::fabs(v[i]));
      if (v[i] > largest) largest = std::fabs(v[i]);
    }
    lo = digits_before_point(smallest);
    hi = digits_before_point(largest);
  }
  Columns c;
  if (integral) {
    if (hi > 9) {
      c.width = 11;
      os << std::scientific << std::setprecision(4);
    } else {
      c.width = int64_t(hi) + 1;
      os.unsetf(std::ios_base::floatfield);  // the caller's precision stays
    }
  } else if (hi - lo > 4) {
    c.width = std::fabs(hi) > 99 || std::fabs(lo) > 99 ? 12 : 11;
    os << std::scientific << std::setprecision(4);
  } else {
    os << std::fixed << std::setprecision(4);
    if (hi > 5 || hi < 0) {
      c.width = 7;
      c.scale = std::pow(10, hi - 1);
    } else {
      c.width = hi == 0 ? 7 : int64_t(hi) + 6;
    }
  }
  return c;
}

void spaces(std::ostream& os, int64_t n) {
  for (int64_t i = 0; i < n; ++i) os << ' ';
}

// The "1e-05 *" line above a scaled block, in default notation at the block's precision.
void scale_line(std::ostream& os, double scale) {
  FormatRestorer keep(os);
  os.unsetf(std::ios_base::floatfield);
  os << scale << " *" << std::endl;
}

// One rows x cols matrix at `v` (row-major), every line but the first prefixed by `indent`
// spaces. Lines hold at most (line_width - indent) / (width + 1) columns; a wider matrix is
// printed in bands headed "Columns a to b". libtorch's layout has quirks kept here because they
// are its output: the band header runs straight into the band's first row, and with a scale
// factor the rows after the first get one more space of indent.
void print_matrix(std::ostream& os, const double* v, int64_t rows, int64_t cols, int64_t line_width,
                  int64_t indent) {
  const Columns c = choose_columns(os, v, rows * cols);
  spaces(os, indent);
  const int64_t per_line = std::max<int64_t>(1, (line_width - indent) / (c.width + 1));
  for (int64_t first = 0; first < cols;) {
    const int64_t last = std::min(first + per_line, cols) - 1;
    if (per_line < cols) {
      if (first != 0) os << std::endl;
      os << "Columns " << first + 1 << " to " << last + 1;
      spaces(os, indent);
    }
    if (c.scale != 1) {
      scale_line(os, c.scale);
      spaces(os, indent);
    }
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t k = first; k <= last; ++k) {
        os << std::setw(int(c.width)) << v[r * cols + k] / c.scale;
        if (k != last) {
          os << ' ';
          continue;
        }
        os << std::endl;
        if (r != rows - 1) spaces(os, indent + (c.scale != 1 ? 1 : 0));
      }
    }
    first = last + 1;
  }
}

// A tensor of 3 or more dimensions: one matrix per index of the leading dimensions, headed
// "(i,j,.,.) = ". The leading indices count with the *first* one fastest, as libtorch does:
// (1,1), (2,1), (1,2), (2,2).
void print_slices(std::ostream& os, const double* v, IntArrayRef sizes, int64_t line_width) {
  const size_t lead = sizes.size() - 2;
  const int64_t rows = sizes[lead], cols = sizes[lead + 1];
  std::vector<int64_t> index(lead, 0);
  for (bool first_slice = true;; first_slice = false) {
    if (!first_slice) {
      size_t d = 0;
      while (d < lead && ++index[d] == sizes[d]) index[d++] = 0;
      if (d == lead) return;
      os << std::endl;
    }
    int64_t offset = 0;
    os << "(";
    for (size_t d = 0; d < lead; ++d) {
      offset = offset * sizes[d] + index[d];
      os << index[d] + 1 << ",";
    }
    os << ".,.) = " << std::endl;
    print_matrix(os, v + offset * rows * cols, rows, cols, line_width, 1);
  }
}

void print_tensor(std::ostream& os, const Tensor& t, int64_t line_width) {
  FormatRestorer keep(os);
  if (!t.defined()) {
    os << "[ Tensor (undefined) ]";
    return;
  }
  const Tensor d = t.detach().to(kDouble);
  const double* v = d.data_ptr<double>();
  const IntArrayRef sizes = d.sizes();
  const int64_t n = d.numel();
  if (sizes.empty()) {
    os.unsetf(std::ios_base::floatfield);
    os << v[0] << std::endl;
  } else if (sizes.size() == 1 && n > 0) {
    const Columns c = choose_columns(os, v, n);
    if (c.scale != 1) scale_line(os, c.scale);
    for (int64_t i = 0; i < n; ++i) os << std::setw(int(c.width)) << v[i] / c.scale << std::endl;
  } else if (sizes.size() == 2 && n > 0) {
    print_matrix(os, v, sizes[0], sizes[1], line_width, 0);
  } else if (n > 0) {
    print_slices(os, v, sizes, line_width);
  }
  os << "[ " << t.toString() << "{";
  for (size_t k = 0; k < sizes.size(); ++k) os << (k ? "," : "") << sizes[k];
  os << "} ]";
}

// The name caffe2::TypeMeta gives a dtype (GCC's spelling of the C++ type), which is what
// libtorch's TensorOptions printout shows (and differs from ScalarType's "Float").
const char* type_meta_name(ScalarType t) {
  switch (t) {
    case kFloat:
      return "float";
    case kDouble:
      return "double";
    case kLong:
      return "long int";
    case kBool:
      return "bool";
    case kByte:
      return "unsigned char";
    case kChar:
      return "signed char";
    case kShort:
      return "short int";
    case kInt:
      return "int";
  }
  return "?";
}

}  // namespace

const char* TypeMeta::name() const { return type_meta_name(t_); }
std::ostream& operator<<(std::ostream& os, TypeMeta t) { return os << t.name(); }

std::ostream& print(std::ostream& os, const Tensor& t, int64_t linesize) {
  print_tensor(os, t, linesize);
  return os;
}
void print(const Tensor& t, int64_t linesize) { print(std::cout, t, linesize); }
std::ostream& operator<<(std::ostream& os, const Tensor& t) { return print(os, t, 80); }

std::ostream& operator<<(std::ostream& os, const Scalar& s) {
  if (s.is_bool()) return os << (s.to_long() ? "true" : "false");
  if (s.is_integral()) return os << s.to_long();
  return os << s.to_double();
}

// Each property shows the value its getter returns, marked "(default)" when it was not set.
// libtorch leaves std::boolalpha set on the stream afterwards; so does this.
std::ostream& operator<<(std::ostream& os, const TensorOptions& o) {
  os << std::boolalpha;
  os << "TensorOptions(dtype=" << type_meta_name(o.dtype()) << (o.has_dtype() ? "" : " (default)");
  os << ", device=" << o.device() << (o.has_device() ? "" : " (default)");
  os << ", layout=" << o.layout() << (o.has_layout() ? "" : " (default)");
  os << ", requires_grad=" << o.requires_grad() << (o.has_requires_grad() ? "" : " (default)");
  os << ", pinned_memory=false (default), memory_format=(nullopt))";
  return os;
}

}  // namespace tg
