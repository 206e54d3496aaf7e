// Internal: normal random numbers as libtorch 1.13 draws them on the CPU (random_normal.cpp).
#pragma once

#include "generator.hpp"
#include "tensor.hpp"

namespace tg::detail {
// Fills `out` (float or double, contiguous) with N(mean, std^2) draws from g, locking it.
void fill_normal(const Tensor& out, double mean, double std, CPUGeneratorImpl& g);
CPUGeneratorImpl& generator_or_default(const std::optional<Generator>& gen);
// n float uniforms in [0, 1) (24 random bits each), as n single draws give them; g is locked by
// the caller. In blocks, so that the engine and the conversion run as tight loops.
void uniform01_fill(float* p, int64_t n, CPUGeneratorImpl& g);
}  // namespace tg::detail
