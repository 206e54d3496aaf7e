// tapegrad drop-in for libtorch's <c10/util/irange.h>: everything is in <torch/torch.h>.
#pragma once
#include <torch/torch.h>
