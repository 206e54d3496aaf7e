// tapegrad drop-in for libtorch's <torch/data.h>: everything is in <torch/torch.h>.
#pragma once
#include <torch/torch.h>
