// tg::data::read_csv: a numeric CSV table to a tensor, with errors that say file:line.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "../autograd/functions.hpp"
#include "data.hpp"

namespace tg::data {

namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::vector<std::string> split(const std::string& line, char delimiter) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const size_t at = line.find(delimiter, start);
    fields.push_back(trim(line.substr(start, at - start)));
    if (at == std::string::npos) return fields;
    start = at + 1;
  }
}

std::ifstream open(const std::string& path, const CsvOptions& options) {
  if (options.dtype() == kBool)
    throw Error("read_csv: dtype Bool is not supported (use Float, Double or Long)");
  std::ifstream in(path);
  if (!in) throw Error("read_csv: cannot open '" + path + "'");
  return in;
}

std::string where(const std::string& path, int64_t line) {
  return "read_csv: " + path + ":" + std::to_string(line) + ": ";
}

double parse(const std::string& field, ScalarType dtype, const std::string& at, size_t column) {
  const std::string what = "field " + std::to_string(column + 1) + " '" + field + "'";
  if (field.empty()) throw Error(at + "field " + std::to_string(column + 1) + " is empty");
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(field.c_str(), &end);
  if (end != field.c_str() + field.size()) throw Error(at + what + " is not a number");
  if (dtype == kLong && !(std::isfinite(v) && v == std::trunc(v) && std::abs(v) < 9.0e15))
    throw Error(at + what + " is not a whole number (dtype Long)");
  return v;
}

}  // namespace

std::vector<std::string> read_csv_header(const std::string& path, const CsvOptions& options) {
  std::ifstream in = open(path, options);
  std::string line;
  while (std::getline(in, line))
    if (!trim(line).empty()) return split(line, options.delimiter());
  return {};
}

Tensor read_csv(const std::string& path, const CsvOptions& options) {
  std::ifstream in = open(path, options);
  std::vector<double> values;
  std::string line;
  int64_t line_no = 0, rows = 0, width_line = 0;
  size_t width = 0;
  bool header_pending = options.header();
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty()) continue;
    const auto fields = split(line, options.delimiter());
    if (width == 0) width = fields.size(), width_line = line_no;
    if (fields.size() != width)
      throw Error(where(path, line_no) + std::to_string(fields.size()) + " fields, expected " +
                  std::to_string(width) + " (as on line " + std::to_string(width_line) + ")");
    if (header_pending) {
      header_pending = false;
      continue;
    }
    const std::string at = where(path, line_no);
    for (size_t c = 0; c < fields.size(); ++c)
      values.push_back(parse(fields[c], options.dtype(), at, c));
    ++rows;
  }
  const int64_t cols = int64_t(width);
  switch (options.dtype()) {
    case kDouble:
      return from_blob(values.data(), {rows, cols}, kDouble).clone();
    case kLong: {
      std::vector<int64_t> ints(values.begin(), values.end());
      return from_blob(ints.data(), {rows, cols}, kLong).clone();
    }
    default: {
      std::vector<float> floats(values.begin(), values.end());
      return from_blob(floats.data(), {rows, cols}, kFloat).clone();
    }
  }
}

}  // namespace tg::data
