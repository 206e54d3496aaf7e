// Internal: the geometry of a sliding window over the last two dims, shared by ops_conv.cpp
// (convolution) and ops_pool.cpp (average pooling). Not installed; users see tg::im2col.
#pragma once

#include "tensor.hpp"

namespace tg {

struct WindowGeom {
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  int64_t h = 0, w = 0;    // input height and width
  int64_t oh = 0, ow = 0;  // output positions; windows may reach past the padding (ceil_mode)
  int64_t windows() const { return oh * ow; }
};

// (N, C, H, W) -> columns: with batch_inner false, (N, C*kh*kw, oh*ow) as libtorch's im2col;
// with batch_inner true, (C*kh*kw, N*oh*ow), so that a convolution is one matrix product.
// Cells outside the input read 0. Recorded; its backward is col2im_geom, and vice versa.
Tensor im2col_geom(const Tensor& x, const WindowGeom& g, bool batch_inner);
// The adjoint: sums columns back into (N, C, H, W); `n` is the batch size (for batch_inner).
Tensor col2im_geom(const Tensor& cols, const WindowGeom& g, bool batch_inner, int64_t n);

// out = floor_or_ceil((in + 2 pad - dilation (k - 1) - 1) / stride) + 1, with PyTorch's
// ceil_mode rule that the last window must start inside the input or the left padding.
int64_t window_out_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dilation,
                        bool ceil_mode);

// Reads a 1- or 2-element size list (libtorch expands a single value to both dims).
void two_ints(IntArrayRef v, const char* op, const char* what, int64_t& a, int64_t& b);

}  // namespace tg
