// tapegrad drop-in for libtorch's <torch/ordered_dict.h>: everything is in <torch/torch.h>.
#pragma once
#include <torch/torch.h>
