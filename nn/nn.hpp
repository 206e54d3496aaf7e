// nn/: modules, layers, losses and their functional forms, mirroring libtorch's torch::nn.
//
// A worked example -- fit y = 2x - 1 with one Linear layer:
//
//   #include <tapegrad.hpp>
//   namespace F = tg::nn::functional;
//
//   tg::nn::Linear fc(1, 1);                          // weight (1, 1), bias (1), default init
//   auto x = tg::linspace(-1, 1, 8).reshape({8, 1});
//   auto y = 2 * x - 1;
//   tg::nn::MSELoss criterion;                        // reduction kMean by default
//   for (int step = 0; step < 100; ++step) {
//     fc->zero_grad();
//     auto loss = criterion(fc(x), y);                // or F::mse_loss(fc(x), y)
//     loss.backward();                                // fills fc->weight.grad(), fc->bias.grad()
//     tg::NoGradGuard no_grad;
//     for (auto& p : fc->parameters()) p.sub_(p.grad(), 0.1);   // (tg::optim::SGD does this)
//   }
//   std::cout << fc << "\n";   // torch::nn::Linear(in_features=1, out_features=1, bias=true)
//
// Your own modules follow libtorch (see module.hpp): derive from tg::nn::Module, register
// parameters and children in the constructor, write forward(), and wrap with TG_MODULE(Name).
//
// Files: module.hpp (Module, ModuleHolder, TG_MODULE), ordered_dict.hpp, enum.hpp (tg::kMean,
// tg::kFanIn, ...), options.hpp (layer ...Options), linear.hpp (Linear, Bilinear), activation.hpp,
// container.hpp (Sequential), loss.hpp (loss modules), loss_options.hpp, loss_functional.hpp (the
// functional losses), functional.hpp (tg::nn::functional), init.hpp; conv.hpp, pooling.hpp,
// normalization.hpp, dropout.hpp, wrappers.hpp (Identity, Flatten, Functional) and
// modulelist.hpp each hold their layers' options and functional forms; clip_grad.hpp
// (tg::nn::utils::clip_grad_norm_ / clip_grad_value_); rnn.hpp (RNN, LSTM, GRU), rnn_cell.hpp
// (RNNCell, LSTMCell, GRUCell), embedding.hpp, embedding_bag.hpp; normalization_lrn.hpp
// (GroupNorm, LocalResponseNorm, CrossMapLRN2d, F::normalize), instancenorm.hpp;
// serialize.hpp (tg::save / tg::load of a module's state as safetensors). The training workflow:
// data.hpp (tg::data, libtorch's torch::data -- datasets, transforms, samplers, make_data_loader,
// MNIST in data_*.hpp -- with tapegrad's CSV, TableDataset, splits, Standardizer, DataLoader),
// metrics.hpp (tg::metrics),
// training.hpp (tg::training: EarlyStopping, Progress, LossHistory, L1/L2 penalties), plot.hpp
// (tg::plot: SVG line and scatter plots). nn/LOSSES.md explains every loss.
// attention.hpp (MultiheadAttention, F::multi_head_attention_forward), transformer.hpp
// (Transformer, TransformerEncoder/Decoder and their layers), adaptive.hpp
// (AdaptiveLogSoftmaxWithLoss).
#pragma once

#include "../autograd/autograd.hpp"
#include "activation.hpp"
#include "activation_extra.hpp"
#include "adaptive.hpp"
#include "attention.hpp"
#include "clip_grad.hpp"
#include "container.hpp"
#include "containers.hpp"
#include "conv.hpp"
#include "conv_transpose.hpp"
#include "data.hpp"
#include "distance.hpp"
#include "dropout.hpp"
#include "embedding.hpp"
#include "embedding_bag.hpp"
#include "enum.hpp"
#include "expanding_array.hpp"
#include "fold.hpp"
#include "functional.hpp"
#include "init.hpp"
#include "instancenorm.hpp"
#include "linear.hpp"
#include "loss.hpp"
#include "loss_aten.hpp"
#include "loss_functional.hpp"
#include "loss_options.hpp"
#include "metrics.hpp"
#include "module.hpp"
#include "modulelist.hpp"
#include "normalization.hpp"
#include "normalization_lrn.hpp"
#include "options.hpp"
#include "ordered_dict.hpp"
#include "padding.hpp"
#include "plot.hpp"
#include "pooling.hpp"
#include "rnn.hpp"
#include "rnn_cell.hpp"
#include "rnn_utils.hpp"
#include "serialize.hpp"
#include "training.hpp"
#include "transformer.hpp"
#include "upsampling.hpp"
#include "vision.hpp"
#include "wrappers.hpp"
