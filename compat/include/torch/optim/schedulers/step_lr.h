// tapegrad drop-in for libtorch's <torch/optim/schedulers/step_lr.h>: everything is in <torch/torch.h>.
#pragma once
#include <torch/torch.h>
