// tapegrad drop-in for libtorch's <torch/script.h>: TorchScript is not part of tapegrad.
#pragma once
#error "tapegrad does not support TorchScript (<torch/script.h>, torch::jit, torch::jit::load): tapegrad is libtorch's C++ frontend only; build the model in C++ and use torch::save / torch::load for its parameters"
