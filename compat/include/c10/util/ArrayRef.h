// tapegrad drop-in for libtorch's <c10/util/ArrayRef.h>: everything is in <torch/torch.h>.
#pragma once
#include <torch/torch.h>
