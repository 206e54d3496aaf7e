// Precompiled once for all examples and the tapegrad side of the benchmarks (meson `cpp_pch` on
// the library that holds their objects, see ../meson.build), force-included: tapegrad's public API
// (~2 s of parsing) is parsed once instead of once per program. It changes no meaning: each
// example still includes <tapegrad.hpp> itself, each workload includes ../tests/bench/bench.hpp,
// the libtorch builds of the workloads (bench_torch_*) do not use it, and `-Db_pch=false` builds
// without it.
#include <tapegrad.hpp>
