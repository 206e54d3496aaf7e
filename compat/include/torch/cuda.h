// tapegrad drop-in for libtorch's <torch/cuda.h>: everything is in <torch/torch.h>.
#pragma once
#include <torch/torch.h>
