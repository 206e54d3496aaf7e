// Internal: normal random numbers as libtorch 1.13 draws them on the CPU (random_normal.cpp).
#pragma once

#include "generator.hpp"
#include "tensor.hpp"

namespace tg::detail {
// Fills `out` (float or double, contiguous) with N(mean, std^2) draws from g, locking it.
void fill_normal(const Tensor& out, double mean, double std, CPUGeneratorImpl& g);
CPUGeneratorImpl& generator_or_default(const std::optional<Generator>& gen);
}  // namespace tg::detail
