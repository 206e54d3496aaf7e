// The free functions of tg:: that layers are built from: convolution, pooling, padding,
// normalisation, recurrent cells (functions.hpp includes this at its end). Each is defined,
// forward beside backward, in one autograd/ops_*.cpp file.
#pragma once

#include "functions.hpp"

namespace tg {

// ---- convolution, pooling, normalisation (ops_conv.cpp, ops_pool.cpp, ops_norm.cpp) ----
// Size lists take 1 value (used for both dims) or one per dim, as in libtorch. Inputs are
// batched (N, C, ...) or unbatched (C, ...).
// Every sliding window of a 4-D input (N, C, H, W) as a column: (N, C*kh*kw, L), L windows.
Tensor im2col(const Tensor& input, IntArrayRef kernel_size, IntArrayRef dilation,
              IntArrayRef padding, IntArrayRef stride);
// The adjoint of im2col: sums (N, C*kh*kw, L) columns back into (N, C, output_size).
Tensor col2im(const Tensor& input, IntArrayRef output_size, IntArrayRef kernel_size,
              IntArrayRef dilation, IntArrayRef padding, IntArrayRef stride);
// input (N, C, H, W), weight (O, C/groups, kh, kw), bias (O) or undefined -> (N, O, H', W').
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
              IntArrayRef stride = 1, IntArrayRef padding = 0, IntArrayRef dilation = 1,
              int64_t groups = 1);
// padding "valid" (none) or "same" (output as large as the input; stride 1 only).
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              const std::string& padding, IntArrayRef dilation = 1, int64_t groups = 1);
// A literal 0 for padding would be ambiguous between the two overloads above (0 is also a null
// const char*); this one takes it.
inline Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                     IntArrayRef stride, int64_t padding, IntArrayRef dilation = 1,
                     int64_t groups = 1) {
  return conv2d(input, weight, bias, stride, IntArrayRef(padding), dilation, groups);
}
// input (N, C, L), weight (O, C/groups, k): conv2d on a height-1 view.
Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
              IntArrayRef stride = 1, IntArrayRef padding = 0, IntArrayRef dilation = 1,
              int64_t groups = 1);
Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              const std::string& padding, IntArrayRef dilation = 1, int64_t groups = 1);
inline Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                     IntArrayRef stride, int64_t padding, IntArrayRef dilation = 1,
                     int64_t groups = 1) {
  return conv1d(input, weight, bias, stride, IntArrayRef(padding), dilation, groups);
}
// input (N, C, D, H, W), weight (O, C/groups, kd, kh, kw) (ops_conv_nd.cpp).
Tensor conv3d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
              IntArrayRef stride = 1, IntArrayRef padding = 0, IntArrayRef dilation = 1,
              int64_t groups = 1);
// (string_view, as libtorch's c10::string_view: a braced size list never converts to it.)
Tensor conv3d(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
              std::string_view padding, IntArrayRef dilation = 1, int64_t groups = 1);
inline Tensor conv3d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                     IntArrayRef stride, int64_t padding, IntArrayRef dilation = 1,
                     int64_t groups = 1) {
  return conv3d(input, weight, bias, stride, IntArrayRef(padding), dilation, groups);
}
// Transposed convolution (the adjoint of conv in its input): input (N, C, spatial...), weight
// (C, O/groups, k...); each output size is (in - 1) stride - 2 padding + dilation (k - 1) +
// output_padding + 1. Note libtorch's argument order: groups before dilation.
Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
                        IntArrayRef stride = 1, IntArrayRef padding = 0,
                        IntArrayRef output_padding = 0, int64_t groups = 1,
                        IntArrayRef dilation = 1);
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
                        IntArrayRef stride = 1, IntArrayRef padding = 0,
                        IntArrayRef output_padding = 0, int64_t groups = 1,
                        IntArrayRef dilation = 1);
Tensor conv_transpose3d(const Tensor& input, const Tensor& weight, const Tensor& bias = {},
                        IntArrayRef stride = 1, IntArrayRef padding = 0,
                        IntArrayRef output_padding = 0, int64_t groups = 1,
                        IntArrayRef dilation = 1);
// An empty stride means stride = kernel_size. Indices are flat positions in each H x W plane.
Tensor max_pool2d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride = {},
                  IntArrayRef padding = 0, IntArrayRef dilation = 1, bool ceil_mode = false);
std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& self, IntArrayRef kernel_size,
                                                   IntArrayRef stride = {}, IntArrayRef padding = 0,
                                                   IntArrayRef dilation = 1,
                                                   bool ceil_mode = false);
Tensor avg_pool2d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride = {},
                  IntArrayRef padding = 0, bool ceil_mode = false, bool count_include_pad = true,
                  std::optional<int64_t> divisor_override = std::nullopt);
Tensor adaptive_avg_pool2d(const Tensor& self, IntArrayRef output_size);
// 1-D and 3-D pools, adaptive max pools, unpooling, fractional max pools (ops_pool_nd.cpp). Max
// pools' indices are flat positions in each (D x) H x W plane, as libtorch's.
Tensor max_pool1d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride = {},
                  IntArrayRef padding = 0, IntArrayRef dilation = 1, bool ceil_mode = false);
std::tuple<Tensor, Tensor> max_pool1d_with_indices(const Tensor& self, IntArrayRef kernel_size,
                                                   IntArrayRef stride = {}, IntArrayRef padding = 0,
                                                   IntArrayRef dilation = 1,
                                                   bool ceil_mode = false);
Tensor max_pool3d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride = {},
                  IntArrayRef padding = 0, IntArrayRef dilation = 1, bool ceil_mode = false);
std::tuple<Tensor, Tensor> max_pool3d_with_indices(const Tensor& self, IntArrayRef kernel_size,
                                                   IntArrayRef stride = {}, IntArrayRef padding = 0,
                                                   IntArrayRef dilation = 1,
                                                   bool ceil_mode = false);
Tensor avg_pool1d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride = {},
                  IntArrayRef padding = 0, bool ceil_mode = false, bool count_include_pad = true);
Tensor avg_pool3d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride = {},
                  IntArrayRef padding = 0, bool ceil_mode = false, bool count_include_pad = true,
                  std::optional<int64_t> divisor_override = std::nullopt);
Tensor adaptive_avg_pool1d(const Tensor& self, IntArrayRef output_size);
Tensor adaptive_avg_pool3d(const Tensor& self, IntArrayRef output_size);
// (values, indices).
std::tuple<Tensor, Tensor> adaptive_max_pool1d(const Tensor& self, IntArrayRef output_size);
std::tuple<Tensor, Tensor> adaptive_max_pool2d(const Tensor& self, IntArrayRef output_size);
std::tuple<Tensor, Tensor> adaptive_max_pool3d(const Tensor& self, IntArrayRef output_size);
// Puts each value at its index in a zero plane of output_size (H, W) or (D, H, W).
Tensor max_unpool2d(const Tensor& self, const Tensor& indices, IntArrayRef output_size);
Tensor max_unpool3d(const Tensor& self, const Tensor& indices, IntArrayRef output_size,
                    IntArrayRef stride, IntArrayRef padding);
// random_samples (N, C, 2 or 3) in [0, 1) place the pseudo-random windows (PyTorch's layout).
std::tuple<Tensor, Tensor> fractional_max_pool2d(const Tensor& self, IntArrayRef kernel_size,
                                                 IntArrayRef output_size,
                                                 const Tensor& random_samples);
std::tuple<Tensor, Tensor> fractional_max_pool3d(const Tensor& self, IntArrayRef kernel_size,
                                                 IntArrayRef output_size,
                                                 const Tensor& random_samples);
// Padding (ops_pad.cpp). `pad` lists (left, right) pairs from the last dim backwards; negative
// values crop. constant_pad_nd fills with `value`; the others need (N,) C and 1-3 spatial dims.
Tensor constant_pad_nd(const Tensor& self, IntArrayRef pad, const Scalar& value = 0);
Tensor reflection_pad1d(const Tensor& self, IntArrayRef padding);
Tensor reflection_pad2d(const Tensor& self, IntArrayRef padding);
Tensor reflection_pad3d(const Tensor& self, IntArrayRef padding);
Tensor replication_pad1d(const Tensor& self, IntArrayRef padding);
Tensor replication_pad2d(const Tensor& self, IntArrayRef padding);
Tensor replication_pad3d(const Tensor& self, IntArrayRef padding);
Tensor _pad_circular(const Tensor& self, IntArrayRef padding);
// mode "constant", "reflect", "replicate" or "circular" (at::pad).
Tensor pad(const Tensor& self, IntArrayRef pad, const std::string& mode = "constant",
           std::optional<double> value = std::nullopt);
// Zeroes each element with probability p and scales the rest by 1/(1-p); identity unless train.
Tensor dropout(const Tensor& input, double p, bool train);
Tensor feature_dropout(const Tensor& input, double p, bool train);  // one mask value per (N, C)
Tensor alpha_dropout(const Tensor& input, double p, bool train);
Tensor feature_alpha_dropout(const Tensor& input, double p, bool train);
// Updates running_mean/running_var in place when training and they are defined.
Tensor batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias,
                  const Tensor& running_mean, const Tensor& running_var, bool training,
                  double momentum, double eps, bool cudnn_enabled = false);
Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight = {},
                  const Tensor& bias = {}, double eps = 1e-5, bool cudnn_enable = true);
// batch_norm of each (sample, channel) over its own elements; running stats (if defined) get
// the batch average of the per-sample updates.
Tensor instance_norm(const Tensor& input, const Tensor& weight, const Tensor& bias,
                     const Tensor& running_mean, const Tensor& running_var, bool use_input_stats,
                     double momentum, double eps, bool cudnn_enabled = false);
// Normalises each of num_groups channel groups; weight and bias (C) per channel.
Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight = {},
                  const Tensor& bias = {}, double eps = 1e-5, bool cudnn_enabled = true);
// One step of a recurrent cell (ops_rnn_cell.cpp); input (B, in), hidden states (B, H).
Tensor rnn_tanh_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih = {}, const Tensor& b_hh = {});
Tensor rnn_relu_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                     const Tensor& b_ih = {}, const Tensor& b_hh = {});
// hx = {h, c}; returns (h', c').
std::tuple<Tensor, Tensor> lstm_cell(const Tensor& input, const TensorList& hx, const Tensor& w_ih,
                                     const Tensor& w_hh, const Tensor& b_ih = {},
                                     const Tensor& b_hh = {});
Tensor gru_cell(const Tensor& input, const Tensor& hx, const Tensor& w_ih, const Tensor& w_hh,
                const Tensor& b_ih = {}, const Tensor& b_hh = {});

}  // namespace tg
