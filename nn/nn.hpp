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
// tg::kFanIn, ...), options.hpp (the Options of Linear, the first activations and the losses;
// newer layers keep theirs in their own header), linear.hpp (Linear, Bilinear), activation.hpp,
// container.hpp (Sequential), loss.hpp (loss modules), functional.hpp (tg::nn::functional),
// init.hpp, rnn.hpp (RNN, LSTM, GRU), embedding.hpp, serialize.hpp (tg::save / tg::load).
#pragma once

#include "../autograd/autograd.hpp"
#include "activation.hpp"
#include "container.hpp"
#include "embedding.hpp"
#include "enum.hpp"
#include "functional.hpp"
#include "init.hpp"
#include "linear.hpp"
#include "loss.hpp"
#include "module.hpp"
#include "options.hpp"
#include "ordered_dict.hpp"
#include "rnn.hpp"
#include "serialize.hpp"
