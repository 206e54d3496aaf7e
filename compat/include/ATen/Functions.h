// tapegrad drop-in for libtorch's <ATen/Functions.h>: everything is in <torch/torch.h>.
#pragma once
#include <torch/torch.h>
