// Precompiled once for all examples (meson `cpp_pch` on the library that holds their objects,
// see ../meson.build), force-included: tapegrad's public API (~4 s of parsing) is parsed once
// instead of once per program. It changes no meaning: each example still includes
// <tapegrad.hpp> itself, and `-Db_pch=false` builds without it.
#include <tapegrad.hpp>
