// Precompiled for every library source (meson `cpp_pch`, force-included): the standard headers
// most files use and the public op declarations are parsed once per build instead of once per
// file (2-3 s of each file's 5-15 s). Only public autograd headers belong here, so nn/ and optim/
// files still cannot see the tape's internals. It changes no meaning: each file still includes
// what it uses, and `-Db_pch=false` builds without it.
#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "../functions.hpp"
