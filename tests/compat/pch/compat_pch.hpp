// Precompiled once for all compat programs (meson `cpp_pch` on the library that holds their
// objects, see ../meson.build), force-included: tapegrad's public API is parsed once instead of
// once per program. It changes no meaning: each program still includes shim.hpp, which includes
// TAPEGRAD_HEADER, and regen.sh builds the same sources against libtorch without it.
#include <cstdio>
#include <string>
#include <vector>

#include "tapegrad.hpp"
