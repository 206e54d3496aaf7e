#include "enum.hpp"

#include <string>

namespace tg::enumtype {

void throw_bad_variant_access(size_t held, size_t wanted) {
  throw Error("get: the variant holds alternative " + std::to_string(held) +
              ", not the requested alternative " + std::to_string(wanted));
}

}  // namespace tg::enumtype
