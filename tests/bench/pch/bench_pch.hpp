// Precompiled once for the tapegrad side of all benchmarks (meson `cpp_pch` on the library that
// holds their objects, see ../meson.build), force-included: tapegrad's public API is parsed once
// instead of once per program. It changes no meaning: each workload still includes bench.hpp,
// and the libtorch builds of the same sources (bench_torch_*) do not use it.
#include <tapegrad.hpp>
