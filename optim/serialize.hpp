// tg::save / tg::load for optimizers: libtorch's torch::save(optimizer, path) /
// torch::load(optimizer, path), stored as a safetensors file (autograd/safetensors.hpp).
//
// What is stored: every parameter group's options, and each parameter's state (moment
// buffers, step counts, LBFGS's memory). Parameters are identified by position -- group g,
// index j -- as in libtorch, so load into an optimizer built over the same parameters in the
// same order. Tensors go in as tensors named "state.<g>.<j>.<field>" (deques and lists as
// "<field>.<i>"); numbers, flags and strings go in the metadata as "group.<g>.<field>" and
// "state.<g>.<j>.<field>" (doubles with 17 significant digits, so they round-trip exactly).
//
//   tg::save(opt, "opt.safetensors");                    // after some training
//   tg::optim::Adam fresh(model->parameters(), tg::optim::AdamOptions(1e-3));
//   tg::load(fresh, "opt.safetensors");                  // continues exactly where opt was
//
// load() throws tg::Error, leaving the optimizer unchanged, if the file was written by another
// optimizer type, has another number of groups or parameters, or misses a field.
#pragma once

#include <string>

#include "optimizer.hpp"

namespace tg {

void save(const optim::Optimizer& optimizer, const std::string& path);
void load(optim::Optimizer& optimizer, const std::string& path);

}  // namespace tg
