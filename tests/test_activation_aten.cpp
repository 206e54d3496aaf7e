// ATen-level activations and losses at tg:: (functions_activation.hpp, nn/loss_aten.hpp), the
// activation modules of nn/activation_extra.hpp, and libtorch's loss warnings.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "tapegrad.hpp"

namespace F = tg::nn::functional;

namespace {
struct Capture : tg::WarningHandler {
  std::vector<std::string> msgs;
  void process(const tg::SourceLocation&, const std::string& msg, const bool) override {
    msgs.push_back(msg);
  }
};
template <class M>
std::string printed(const M& m) {
  std::ostringstream s;
  s << m;
  return s.str();
}
std::vector<double> values(const tg::Tensor& t) {
  auto c = t.detach().to(tg::kDouble).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}
}  // namespace

TEST_CASE("activations: ATen's values at the kinks and in place") {
  auto x = tg::tensor({-2.0, -0.5, 0.0, 0.5, 2.0});
  CHECK(values(tg::hardshrink(x, 0.5)) == std::vector<double>{-2, 0, 0, 0, 2});
  CHECK(values(tg::softshrink(x, 0.5)) == std::vector<double>{-1.5, 0, 0, 0, 1.5});
  CHECK(values(tg::hardtanh(x, -1, 0.5)) == std::vector<double>{-1, -0.5, 0, 0.5, 0.5});
  CHECK(values(tg::threshold(x, 0.0, 9)) == std::vector<double>{9, 9, 9, 0.5, 2});
  CHECK(values(tg::relu6(x * 4)) == std::vector<double>{0, 0, 0, 2, 6});
  auto y = x.clone();
  tg::leaky_relu_(y, 0.5);
  CHECK(values(y) == std::vector<double>{-1, -0.25, 0, 0.5, 2});
  // hardtanh's gradient is 0 at exactly min_val and max_val (ATen's hardtanh_backward).
  auto z = tg::tensor({-1.0, 0.0, 1.0}).requires_grad_(true);
  tg::hardtanh(z).sum().backward();
  CHECK(values(z.grad()) == std::vector<double>{0, 1, 0});
}

TEST_CASE("activations: rrelu draws one slope per element <= 0, in order, from the generator") {
  auto x = tg::tensor({-1.0, 2.0, -3.0, 0.0});
  tg::manual_seed(0);
  auto y = tg::rrelu(x, 0.1, 0.3, /*training=*/true);
  auto v = values(y);
  CHECK(v[1] == 2.0);
  CHECK(v[3] == 0.0);
  for (double slope : {-v[0], -v[2] / 3}) CHECK((slope >= 0.1 && slope <= 0.3));
  // Three elements <= 0 drew three 64-bit numbers: the next rand continues after them.
  tg::manual_seed(0);
  auto u = tg::rand({3}, tg::kDouble);
  CHECK(-v[0] == doctest::Approx(0.1 + 0.2 * values(u)[0]).epsilon(1e-6));
  auto eval = values(tg::rrelu(x, 0.1, 0.3));  // the mean slope
  CHECK(eval[0] == doctest::Approx(-0.2));
  CHECK(eval[2] == doctest::Approx(-0.6));
  CHECK_THROWS_WITH_AS(tg::rrelu(x, 0.5, 0.1), doctest::Contains("Lower bound should be less"),
                       tg::Error);
}

TEST_CASE("activation modules print as libtorch's and check their options") {
  using namespace tg::nn;
  CHECK(printed(Hardtanh()) == "torch::nn::Hardtanh(min_val=-1, max_val=1)");
  CHECK(printed(RReLU()) == "torch::nn::RReLU(lower=0.125, upper=0.333333)");
  CHECK(printed(Threshold(ThresholdOptions(42.42, 24.24).inplace(true))) ==
        "torch::nn::Threshold(threshold=42.42, value=24.24, inplace=true)");
  CHECK(printed(Hardshrink(42.42)) == "torch::nn::Hardshrink(42.42)");
  CHECK(printed(ReLU6(true)) == "torch::nn::ReLU6(inplace=true)");
  CHECK_THROWS_WITH_AS(Hardtanh(HardtanhOptions().min_val(0.42).max_val(0.42)),
                       doctest::Contains("max_val must be greater than min_val"), tg::Error);
  PReLU p(PReLUOptions().num_parameters(3).init(0.1));
  CHECK(values(p->weight) == std::vector<double>{0.1f, 0.1f, 0.1f});
  CHECK(p->parameters().size() == 1);
}

TEST_CASE("losses: torch::mse_loss takes at::Reduction; F:: warns on a broadcast target") {
  auto x = tg::tensor({1.0, 2.0, 4.0});
  auto t = tg::tensor({0.0, 0.0, 0.0});
  CHECK(tg::mse_loss(x, t).item<double>() == doctest::Approx(7.0));
  CHECK(tg::mse_loss(x, t, tg::Reduction::Sum).item<double>() == 21.0);
  CHECK(values(tg::l1_loss(x, t, tg::Reduction::None)) == std::vector<double>{1, 2, 4});
  Capture cap;
  {
    tg::Warning::WarningHandlerGuard guard(&cap);
    tg::mse_loss(x.reshape({3, 1}), t);  // ATen's: broadcasts silently
    CHECK(cap.msgs.empty());
    F::mse_loss(x.reshape({3, 1}), t);
    F::huber_loss(x, t);  // same sizes: no warning
  }
  REQUIRE(cap.msgs.size() == 1);
  CHECK(cap.msgs[0] ==
        "Using a target size ([3]) that is different to the input size ([3, 1]). This will "
        "likely lead to incorrect results due to broadcasting. Please ensure they have the same "
        "size.");
}

TEST_CASE(
    "torch::binary_cross_entropy squeezes input and target, as ATen (XOR tests' [N, 1] vs [N])") {
  auto x = tg::tensor({0.2, 0.7, 0.9, 0.4}, tg::kDouble).reshape({4, 1}).requires_grad_(true);
  auto y = tg::tensor({0.0, 1.0, 1.0, 0.0}, tg::kDouble);
  // -mean(y log x + (1 - y) log(1 - x)) over the four pairs
  const double want = -(std::log(0.8) + std::log(0.7) + std::log(0.9) + std::log(0.6)) / 4;
  auto loss = tg::binary_cross_entropy(x, y);
  CHECK(loss.item<double>() == doctest::Approx(want).epsilon(1e-12));
  loss.backward();
  CHECK(x.grad().sizes() == tg::IntArrayRef({4, 1}));
  CHECK(x.grad()[0][0].item<double>() == doctest::Approx(1.0 / 0.8 / 4).epsilon(1e-12));
  auto none = tg::binary_cross_entropy(x, y, std::nullopt, tg::Reduction::None);
  CHECK(none.sizes() == tg::IntArrayRef({4, 1}));
  // The functional form keeps libtorch's refusal.
  CHECK_THROWS_WITH_AS(tg::nn::functional::binary_cross_entropy(x, y),
                       doctest::Contains("Using a target size ([4])"), tg::Error);
}
