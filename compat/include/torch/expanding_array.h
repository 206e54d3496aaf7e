// tapegrad drop-in for libtorch's <torch/expanding_array.h>: everything is in <torch/torch.h>.
#pragma once
#include <torch/torch.h>
