// Precompiled for the library sources that include kernels.hpp (meson `cpp_pch` on their own
// target, see ../../meson.build), force-included: on top of library_pch.hpp's headers, xsimd and
// the tape (~2 s of each such file's parsing) are parsed once per build. Only autograd/ kernel
// files see it; nn/ and optim/ keep library_pch.hpp (public headers only). It changes no
// meaning: each file still includes what it uses, and `-Db_pch=false` builds without it.
#include "library_pch.hpp"
// after library_pch.hpp: kernels.hpp uses functions.hpp's declarations
#include <xsimd/xsimd.hpp>

#include "../kernels.hpp"
