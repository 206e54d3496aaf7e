// tapegrad drop-in for libtorch's <ATen/ATen.h>: everything is in <torch/torch.h>.
#pragma once
#include <torch/torch.h>
