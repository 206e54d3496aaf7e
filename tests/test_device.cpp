// Devices (autograd/device.hpp) and the libtorch tensor methods of issue 17's first batch:
// ndimension, set_requires_grad, resize_. Messages as libtorch 1.13 prints them.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "tapegrad.hpp"

using test::contains;
using test::error_of;
using tg::Device;

static std::string printed(const Device& d) {
  std::ostringstream os;
  os << d;
  return os.str();
}
static std::vector<double> values(const tg::Tensor& t) {
  tg::Tensor d = t.to(tg::kDouble).reshape({-1});
  return {d.data_ptr<double>(), d.data_ptr<double>() + d.numel()};
}

TEST_CASE("device: parsing and printing as c10::Device") {
  CHECK(printed(Device("cpu")) == "cpu");
  CHECK(printed(Device("cuda:1")) == "cuda:1");
  CHECK(printed(Device(tg::kCUDA)) == "cuda");
  CHECK(printed(Device("cpu:0")) == "cpu:0");
  CHECK(Device("cpu") == Device(tg::kCPU));
  CHECK(Device("cpu") != Device("cpu:0"));
  CHECK(!Device("cpu").has_index());
  CHECK(Device("cpu").index() == -1);
  CHECK(Device("cuda:12").index() == 12);
  CHECK(Device("cuda").is_cuda());
  CHECK(Device(tg::kCPU).is_cpu());
  CHECK(Device(tg::kCPU).str() == "cpu");
  std::ostringstream os;
  os << tg::kCPU << " " << tg::kCUDA << " " << tg::kHIP;
  CHECK(os.str() == "cpu cuda hip");
  // libtorch's other device types parse too (they cannot hold tensors here)
  CHECK(Device("hip:123") == Device(tg::DeviceType::HIP, 123));
  CHECK(Device("mkldnn") == Device(tg::DeviceType::MKLDNN));
  CHECK(Device("privateuseone").type() == tg::DeviceType::PrivateUse1);
  CHECK(tg::DeviceTypeName(tg::DeviceType::OPENGL) == "OPENGL");
  CHECK(printed(Device("xla:2")) == "xla:2");
}

TEST_CASE("device: bad strings get libtorch's messages") {
  auto msg = [](const char* s) { return error_of([&] { Device d(s); }); };
  CHECK(msg("") == "Device string must not be empty");
  for (const char* bad : {"cuda:", "cuda:x", "cuda:-1", "cuda:01", "cuda:1:2", "1cpu", "cu-da"})
    CHECK(msg(bad) == "Invalid device string: '" + std::string(bad) + "'");
  const std::string expected_one_of =
      "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, ort, "
      "xla, lazy, vulkan, mps, meta, hpu, privateuseone device type at start of device string: ";
  CHECK(msg("foo") == expected_one_of + "foo");
  CHECK(msg("CPU") == expected_one_of + "CPU");
  CHECK(msg("tpu:4") == expected_one_of + "tpu");
  CHECK(msg("cpu:1") == "CPU device index must be -1 or zero, got 1");
}

TEST_CASE("device: tensors are on the CPU; CUDA is refused with a clear tg::Error") {
  auto t = tg::ones({2});
  CHECK(t.device() == Device(tg::kCPU));
  CHECK(t.is_cpu());
  CHECK(!t.is_cuda());
  CHECK(t.options().device() == Device("cpu"));
  CHECK(t.to(Device("cpu")).is_same(t));
  CHECK(t.to(tg::kCPU).is_same(t));
  CHECK(t.cpu().is_same(t));
  auto d = t.to(Device("cpu"), tg::kDouble);
  CHECK(d.scalar_type() == tg::kDouble);
  CHECK(values(d) == std::vector<double>{1, 1});
  CHECK(t.to(tg::TensorOptions().device(tg::kCPU)).scalar_type() == tg::kFloat);  // keeps dtype
  CHECK(t.to(tg::device(tg::kCPU).dtype(tg::kLong)).scalar_type() == tg::kLong);
  CHECK(t.to(d).scalar_type() == tg::kDouble);  // to(other): other's dtype
  CHECK(contains(error_of([&] { t.to(tg::TensorOptions().requires_grad(true)); }),
                 "Operators taking TensorOptions cannot take a TensorOptions with "
                 "options.requires_grad set as true."));
  CHECK(!t.to(tg::TensorOptions().requires_grad(false)).requires_grad());
  const std::string m = error_of([&] { t.to(tg::kCUDA); });
  CHECK(m ==
        "to: tapegrad runs on the CPU only; device cuda is not available (PyTorch is not "
        "linked with support for cuda devices)");
  CHECK(contains(error_of([&] { t.cuda(); }), "cuda: tapegrad runs on the CPU only"));
  CHECK(contains(error_of([&] { t.to(Device("cuda:1"), tg::kDouble); }), "device cuda:1"));
}

TEST_CASE("device: factories take a device; options keep it") {
  auto o = tg::TensorOptions().device(tg::kCUDA, 1);
  CHECK(o.device() == Device("cuda:1"));
  CHECK(o.has_device());
  CHECK(tg::TensorOptions().device() == Device("cpu"));
  CHECK(!tg::TensorOptions().has_device());
  CHECK(tg::TensorOptions(tg::kCUDA).device().is_cuda());
  CHECK(tg::device_index(2).device() == Device("cuda:2"));
  CHECK(tg::zeros({2}, tg::kCPU).device().is_cpu());
  auto z = tg::ones({2, 2}, tg::device(Device("cpu")).dtype(tg::kDouble).requires_grad(true));
  CHECK(z.scalar_type() == tg::kDouble);
  CHECK(z.requires_grad());
  CHECK(tg::arange(3, tg::device(tg::kCPU)).scalar_type() == tg::kLong);
  CHECK(contains(error_of([] { tg::zeros({2}, tg::device(tg::kCUDA)); }),
                 "full: tapegrad runs on the CPU only"));
  CHECK(contains(error_of([] { tg::randn({2}, tg::kCUDA); }), "randn: tapegrad runs on the CPU"));
  CHECK(contains(error_of([] { tg::tensor({1.0}, tg::kCUDA); }), "tensor: tapegrad runs"));
}

TEST_CASE("device: Module::to(device) and to(device, dtype)") {
  tg::nn::Linear lin(2, 3);
  lin->to(Device("cpu"));
  CHECK(lin->weight.scalar_type() == tg::kFloat);
  lin->to(tg::kCPU, tg::kDouble);
  CHECK(lin->weight.scalar_type() == tg::kDouble);
  CHECK(lin->bias.scalar_type() == tg::kDouble);
  CHECK(contains(error_of([&] { lin->to(tg::kCUDA); }), "Module::to: tapegrad runs on the CPU"));
  CHECK(contains(error_of([&] { lin->to(Device("cuda:0"), tg::kFloat); }), "device cuda:0"));
  CHECK(lin->weight.scalar_type() == tg::kDouble);  // the refused call changed nothing
}

TEST_CASE("device: torch::cuda reports no devices; thread count is kept") {
  CHECK(!tg::cuda::is_available());
  CHECK(tg::cuda::device_count() == 0);
  CHECK(!tg::cuda::cudnn_is_available());
  tg::cuda::manual_seed_all(1);  // a no-op, as in a libtorch without devices
  const int before = tg::get_num_threads();
  CHECK(before >= 1);
  tg::set_num_threads(3);
  CHECK(tg::get_num_threads() == 3);
  // matmul still right with OpenBLAS told to use 3 threads
  auto a = tg::ones({64, 64}, tg::kDouble);
  CHECK(a.mm(a).sum().item<double>() == 64.0 * 64 * 64);
  CHECK(error_of([] { tg::set_num_threads(0); }) ==
        "set_num_threads: Expected positive number of threads");
  tg::set_num_threads(before);
}

TEST_CASE("tensor: ndimension and set_requires_grad (libtorch spellings)") {
  CHECK(tg::zeros({2, 3, 4}).ndimension() == 3);
  CHECK(tg::scalar_tensor(1.0).ndimension() == 0);
  auto x = tg::ones({2});
  const tg::Tensor& r = x.set_requires_grad(true);
  CHECK(&r == &x);
  CHECK(x.requires_grad());
  x.set_requires_grad(false);
  CHECK(!x.requires_grad());
  // libtorch: Only Tensors of floating point and complex dtype can require gradients
  CHECK(contains(error_of([] { tg::ones({2}, tg::kLong).set_requires_grad(true); }),
                 "Only Tensors of floating point and complex dtype can require gradients"));
}

TEST_CASE("tensor: resize_ keeps the leading elements, grows the storage when needed") {
  auto r = tg::arange(6.).resize_({2, 2});  // libtorch: [[0, 1], [2, 3]]
  CHECK(r.sizes().vec() == std::vector<int64_t>{2, 2});
  CHECK(values(r) == std::vector<double>{0, 1, 2, 3});
  auto g = tg::arange(4.);
  auto view = g.reshape({2, 2});  // shares g's storage; keeps it after g grows
  const int64_t v0 = g._version();
  g.resize_({3, 3});
  CHECK(g.sizes().vec() == std::vector<int64_t>{3, 3});
  CHECK(values(g.reshape({-1}).narrow(0, 0, 4)) == std::vector<double>{0, 1, 2, 3});
  CHECK(g._version() > v0);
  g.fill_(7);
  CHECK(values(view) == std::vector<double>{0, 1, 2, 3});
  auto e = tg::empty({0});
  e.resize_({3});
  CHECK(e.numel() == 3);
  CHECK(error_of([] { tg::ones({2}, tg::requires_grad()).resize_({3}); }) ==
        "resize_: cannot resize variables that require grad");
  CHECK(contains(error_of([] { tg::ones({2}).resize_({-1}); }),
                 "Trying to create tensor with negative dimension -1"));
}

TEST_CASE("layout: tensors are strided; options may name another layout, factories refuse it") {
  CHECK(tg::ones({2}).layout() == tg::kStrided);
  CHECK(tg::TensorOptions().layout() == tg::kStrided);
  CHECK(!tg::TensorOptions().has_layout());
  auto o = tg::layout(tg::kSparse).device(tg::kCUDA, 2);
  CHECK(o.layout() == tg::kSparse);
  CHECK(o.device() == Device("cuda:2"));
  CHECK(tg::str(tg::kStrided, " ", tg::kSparse) == "Strided Sparse");
  CHECK(tg::zeros({2}, tg::layout(tg::kStrided)).numel() == 2);
  CHECK(error_of([] { tg::zeros({2}, tg::layout(tg::kSparse)); }) ==
        "full: tapegrad tensors are dense (strided) only; layout Sparse is not supported");
  CHECK(contains(error_of([] { tg::ones({1}, tg::device("mps")); }),
                 "device mps is not available (PyTorch is not linked with support for mps "
                 "devices)"));
}
