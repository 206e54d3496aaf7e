// The CSV reader shared by the examples (header-only, plain C++ plus tapegrad).
#pragma once

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tapegrad.hpp>
#include <vector>

// A minimal CSV reader: one header line, then rows of numbers, all with the header's width.
inline tg::Tensor read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::string line, cell;
  std::getline(in, line);
  const auto cols = std::count(line.begin(), line.end(), ',') + 1;
  std::vector<float> values;
  int64_t rows = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    int64_t n = 0;
    for (; std::getline(fields, cell, ','); ++n) values.push_back(std::stof(cell));
    if (n != cols)
      throw std::runtime_error(path + ": row " + std::to_string(rows + 1) + " has " +
                               std::to_string(n) + " fields, the header " + std::to_string(cols));
    ++rows;
  }
  return tg::from_blob(values.data(), {rows, cols}, tg::kFloat).clone();
}
