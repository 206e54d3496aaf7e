// AnyModule's error messages (libtorch's wording), out of line.
#include "any_module.hpp"

namespace tg::nn::detail {

void any_module_bad_argument(size_t index, const std::type_info& expected,
                             const std::type_info& received) {
  AT_ERROR("Expected argument #", index, " to be of type ", demangle(expected.name()),
           ", but received value of type ", demangle(received.name()));
}

void any_module_check_count(const std::type_info& module, size_t expected, size_t received) {
  if (received == expected) return;
  const std::string name = demangle(module.name());
  std::string hint;
  if (received < expected)
    hint = " If " + name +
           "'s forward() method has default arguments, please make sure the forward() method is "
           "declared with a corresponding `FORWARD_HAS_DEFAULT_ARGS` macro.";
  AT_ERROR(name, "'s forward() method expects ", expected, " argument(s), but received ", received,
           ".", hint);
}

void any_module_check_count_range(const std::type_info& module, size_t required, size_t all,
                                  size_t received) {
  TORCH_CHECK(received >= required && received <= all, demangle(module.name()),
              "'s forward() method expects at least ", required, " argument(s) and at most ", all,
              " argument(s), but received ", received, ".");
}

void any_module_no_forward(const std::type_info& module) {
  AT_ERROR(demangle(module.name()),
           " has no forward() method that AnyModule can call (it has none, or several)");
}

}  // namespace tg::nn::detail
