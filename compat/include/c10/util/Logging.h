// tapegrad drop-in for libtorch's <c10/util/Logging.h>: everything is in <torch/torch.h>.
#pragma once
#include <torch/torch.h>
