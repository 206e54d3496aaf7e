// optim/: optimizers, mirroring libtorch's torch::optim.
//
// A worked example -- the usual training loop:
//
//   #include <tapegrad.hpp>
//   tg::nn::Linear model(3, 1);
//   tg::optim::SGD opt(model->parameters(), tg::optim::SGDOptions(0.05).momentum(0.9));
//   auto x = tg::randn({16, 3});
//   auto y = x.sum({1}, true);                     // learn y = x1 + x2 + x3
//   for (int epoch = 0; epoch < 200; ++epoch) {
//     opt.zero_grad();                             // gradients accumulate otherwise
//     auto loss = tg::nn::functional::mse_loss(model(x), y);
//     loss.backward();
//     opt.step();                                  // p -= lr * (momentum-averaged) grad
//   }
//
// Optimizers take a std::vector<tg::Tensor> (or parameter groups with their own options) and
// update the tensors in place under NoGradGuard; they know nothing about modules.
// Files: optimizer.hpp (Optimizer, OptimizerOptions, param groups, state); one file pair per
// optimizer: sgd, adam, adamw, rmsprop, adagrad, lbfgs (libtorch's), adamax, nadam, radam,
// adadelta (PyTorch's, which libtorch 1.13 lacks). Learning-rate schedulers in schedulers/:
// lr_scheduler.hpp (libtorch's LRScheduler base), step_lr.hpp (StepLR), decay_lr.hpp
// (MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, LambdaLR) and
// reduce_lr_on_plateau.hpp.
#pragma once

#include "../autograd/autograd.hpp"
#include "adadelta.hpp"
#include "adagrad.hpp"
#include "adam.hpp"
#include "adamax.hpp"
#include "adamw.hpp"
#include "lbfgs.hpp"
#include "nadam.hpp"
#include "optimizer.hpp"
#include "radam.hpp"
#include "rmsprop.hpp"
#include "schedulers/decay_lr.hpp"
#include "schedulers/lr_scheduler.hpp"
#include "schedulers/reduce_lr_on_plateau.hpp"
#include "schedulers/step_lr.hpp"
#include "sgd.hpp"
