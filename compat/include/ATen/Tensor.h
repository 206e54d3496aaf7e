// tapegrad drop-in for libtorch's <ATen/Tensor.h>: everything is in <torch/torch.h>.
#pragma once
#include <torch/torch.h>
