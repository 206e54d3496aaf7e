// safetensors files: named tensors in the Hugging Face format that PyTorch, NumPy and the
// `safetensors` tools read, used by tg::save / tg::load instead of pickle.
//
// The format (https://github.com/huggingface/safetensors): an 8-byte little-endian u64 N, then
// N bytes of UTF-8 JSON
//   {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
//    "__metadata__": {"key": "value"}}
// then the byte buffer; offsets are relative to the buffer's start, each tensor is contiguous,
// row-major, little-endian. tapegrad reads and writes F32, F64, I64 and BOOL.
//
// load_file checks everything before it trusts it (a damaged or hostile file must not crash or
// read out of bounds): header length within the file, well-formed JSON, known dtypes, offsets
// inside the buffer, matching dtype x shape, not overlapping, covering the buffer exactly (as
// the reference implementation requires), unique names, BOOL bytes 0 or 1. Every problem throws
// tg::Error naming the file and what is wrong.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tensor.hpp"

namespace tg::safetensors {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

// Writes the tensors in the given order (names must be unique, non-empty and not
// "__metadata__"). The header is padded with spaces to a multiple of 8 bytes, as the reference
// writer does, so every tensor starts 8-byte aligned.
void save_file(const NamedTensors& tensors, const std::string& path,
               const std::map<std::string, std::string>& metadata);
// Without metadata. (An overload, not a `= {}` default: the default would compile std::map's
// constructor and destructor into every program that includes <tapegrad.hpp>.)
void save_file(const NamedTensors& tensors, const std::string& path);

// Returns the tensors in the order their header lists them; fills *metadata if given.
NamedTensors load_file(const std::string& path,
                       std::map<std::string, std::string>* metadata = nullptr);

// The same format to and from a stream (a std::stringstream, an open file, ...). read() takes
// the file to begin at the stream's position and to end at the stream's end (it needs to seek);
// `ctx` starts its error messages.
void write(const NamedTensors& tensors, std::ostream& out,
           const std::map<std::string, std::string>& metadata, const std::string& ctx);
NamedTensors read(std::istream& in, std::map<std::string, std::string>* metadata,
                  const std::string& ctx);

}  // namespace tg::safetensors
