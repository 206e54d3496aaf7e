#!/usr/bin/python3
"""Spec-only safetensors reader and writer (json + numpy, no torch, no safetensors package):
an independent check that tapegrad's files are what the format says, in both directions.

    safetensors_reader.py <safetensors_interop binary> <scratch dir>

1. runs `<binary> write <dir>/from_cpp.safetensors`, then reads that file here and checks
   every name, dtype, shape, value and the metadata, plus the layout rules of the spec;
2. writes <dir>/from_python.safetensors here (header keys in a different order from the data,
   \\u escapes, no padding) and runs `<binary> check <file>`, which verifies it from C++.
The values are literals both languages round identically (0.1, 1/3, subnormals, ...), so
the comparison is exact.
Exits 0 on success, 1 on a mismatch, 77 (meson's "skipped") without numpy.
"""
import json
import os
import struct
import subprocess
import sys

try:
    import numpy as np
except ImportError:
    print("numpy not available: skipped")
    sys.exit(77)

DTYPES = {"F32": np.dtype("<f4"), "F64": np.dtype("<f8"), "I64": np.dtype("<i8"), "BOOL": np.dtype("?")}
META = {"format": "pt", "note": 'quote " back \\ nl \n é'}
WEIRD = 'layer.0/w\u00e9"ird'


# The same literals as tests/interop/safetensors_interop.cpp.
F64 = [0.1, -1.0 / 3.0, 1e300, 5e-324]
F32 = [0.1, -1.0 / 3.0, 3e38, 1e-45, -0.0, 7.0]


def expected_from_cpp():
    return {
        "f32": np.array(F32).astype(np.float32).reshape(2, 3),
        "f64": np.array(F64),
        "i64": np.array([-3, 0, 2**40 + 1], dtype=np.int64),
        "bool": np.array([True, False, True]),
        "scalar": np.array(2.5),
        "empty": np.zeros([0, 3], dtype=np.float32),
        WEIRD: np.array(F32[:4]).astype(np.float32).reshape(2, 1, 2),
    }


def read(path):
    """Parses a safetensors file strictly by the spec; returns ({name: array}, metadata)."""
    data = open(path, "rb").read()
    assert len(data) >= 8, "file shorter than 8 bytes"
    (n,) = struct.unpack("<Q", data[:8])
    assert 8 + n <= len(data), "header length beyond the file"
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    buffer = data[8 + n :]
    meta = header.pop("__metadata__", {})
    tensors, spans = {}, []
    for name, info in header.items():
        assert set(info) == {"dtype", "shape", "data_offsets"}, info
        dt = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        count = int(np.prod(info["shape"])) if info["shape"] else 1
        assert end - begin == count * dt.itemsize, (name, info)
        spans.append((begin, end))
        tensors[name] = np.frombuffer(buffer[begin:end], dtype=dt).reshape(info["shape"])
    pos = 0
    for begin, end in sorted(spans):
        assert begin == pos, "gap or overlap at byte %d" % pos
        pos = end
    assert pos == len(buffer), "buffer has %d bytes, tensors use %d" % (len(buffer), pos)
    return tensors, meta, n


def check_cpp_file(path):
    tensors, meta, n = read(path)
    want = expected_from_cpp()
    assert n % 8 == 0, "header not padded to 8 bytes"
    assert list(tensors) == list(want), list(tensors)
    for name, w in want.items():
        got = tensors[name]
        assert got.dtype == w.dtype, (name, got.dtype, w.dtype)
        assert got.shape == w.shape, (name, got.shape, w.shape)
        assert np.array_equal(got, w), (name, got, w)
    assert meta == META, meta
    print("python read %d tensors from C++: names, dtypes, shapes, values, metadata ok" % len(tensors))


def write_python_file(path):
    # Data order: "ids", "mask", "w"; header order: "w", "__metadata__", "ids", "mask".
    parts = [
        ("ids", "I64", np.array([[5, -1], [2**50, 0]], dtype="<i8")),
        ("mask", "BOOL", np.array([False, True, True])),
        ("w\u00e9ight", "F64", np.array(F64 + [-2.5, 1e-310]).reshape(3, 2).astype("<f8")),
    ]
    entries, blobs, pos = {}, [], 0
    for name, code, arr in parts:
        raw = arr.tobytes()
        entries[name] = {"dtype": code, "shape": list(arr.shape), "data_offsets": [pos, pos + len(raw)]}
        blobs.append(raw)
        pos += len(raw)
    header = {"w\u00e9ight": entries["w\u00e9ight"], "__metadata__": {"from": "python \u2713"}}
    header.update({k: entries[k] for k in ("ids", "mask")})
    text = json.dumps(header, ensure_ascii=True).encode("ascii")  # \u escapes, no padding
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    exe, scratch = sys.argv[1], sys.argv[2]
    os.makedirs(scratch, exist_ok=True)
    from_cpp = os.path.join(scratch, "from_cpp.safetensors")
    from_py = os.path.join(scratch, "from_python.safetensors")
    subprocess.run([exe, "write", from_cpp], check=True)
    check_cpp_file(from_cpp)
    write_python_file(from_py)
    subprocess.run([exe, "check", from_py], check=True)
    print("C++ read the python file: ok")


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, subprocess.CalledProcessError) as e:
        print("FAILED:", repr(e))
        sys.exit(1)
