// Precompiled for every program compiled in the check_objs target (meson `cpp_pch`,
// force-included, see ../meson.build): the doctest files, the same-source compat programs and the
// safetensors interop program. Only tapegrad's public API and the standard headers the compat
// programs use are in it (~2 s of each file's parsing, parsed once per build); doctest and the test
// helpers are cheap to parse and stay out, so the compat programs see nothing they do not include.
// It changes no meaning: each file still includes what it uses, regen.sh builds the compat sources
// against libtorch without it, and `-Db_pch=false` builds without it.
#include <cstdio>
#include <string>
#include <vector>

#include "tapegrad.hpp"
