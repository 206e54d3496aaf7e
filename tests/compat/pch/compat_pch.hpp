// Precompiled once for all compat programs and the safetensors interop program (meson `cpp_pch`
// on the library that holds their objects, see ../meson.build), force-included: tapegrad's public
// API is parsed once instead of once per program. It changes no meaning: each program still
// includes tapegrad's header itself (the compat programs through shim.hpp's TAPEGRAD_HEADER), and
// regen.sh builds the same sources against libtorch without it.
#include <cstdio>
#include <string>
#include <vector>

#include "tapegrad.hpp"
