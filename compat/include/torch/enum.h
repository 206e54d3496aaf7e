// tapegrad drop-in for libtorch's <torch/enum.h>: everything is in <torch/torch.h>.
#pragma once
#include <torch/torch.h>
