"""Shared by the tests/ref/*_ref.py scripts: the deterministic inputs of tests/helpers.hpp
(seq, go) and the writer of `const std::vector<double> kName = {...};` lines."""
import math
import torch


def seq(shape, phase, scale=1.0, offset=0.0):
    """seq(shape, phase, scale, offset)[i] = offset + scale * sin(0.7 i + phase), row-major."""
    n = math.prod(shape)
    return torch.tensor([offset + scale * math.sin(0.7 * i + phase) for i in range(n)],
                        dtype=torch.float64).reshape(shape)


def go(shape):
    """Weights of a non-scalar output's gradient: go[i] = cos(0.3 i)."""
    n = math.prod(shape)
    return torch.tensor([math.cos(0.3 * i) for i in range(n)], dtype=torch.float64).reshape(shape)


def emit(name, t):
    vals = ", ".join(repr(float(v)) for v in t.detach().reshape(-1).tolist())
    print(f"const std::vector<double> {name} = {{{vals}}};")
