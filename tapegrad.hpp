// tapegrad: the umbrella header. `#include <tapegrad.hpp>` gives the whole public API:
//   tg::            tensors, ops, the tape's entry points        (autograd/autograd.hpp)
//   tg::nn          modules, layers, losses, functional forms     (nn/nn.hpp)
//   tg::optim       optimizers                                    (optim/optim.hpp)
//   tg::autograd    grad(), backward(), gradcheck()               (autograd/autograd.hpp)
// A libtorch program compiles against it with `namespace torch = tg;`.
#pragma once

#include "autograd/autograd.hpp"
#include "nn/nn.hpp"
#include "optim/optim.hpp"

// libtorch's torch/torch.h brings <iostream>, so libtorch programs (and the examples in
// autograd.hpp and nn.hpp) write `std::cout << tensor` without including it; the folder headers
// use <iosfwd> only. (+~1 MB of the ~190 MB the compiler allocates for this header.)
#include <iostream>
