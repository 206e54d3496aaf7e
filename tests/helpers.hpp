// Small helpers shared by the doctest files.
#pragma once

#include <string>

#include "tapegrad.hpp"

namespace test {

// The message of the tg::Error that fn throws, or a marker if it throws none.
template <class Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const tg::Error& e) {
    return e.what();
  }
  return "<no tg::Error thrown>";
}

inline bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace test
