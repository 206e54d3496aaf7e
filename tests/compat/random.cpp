// libtorch's random streams: after manual_seed(s), every random function must give libtorch's
// values to the bit. Rows print every value exactly (float32 with 9 significant digits, float64
// with 17: enough to tell any two values apart), and test_compat.cpp compares the text.
#include <cinttypes>
#include <cmath>
#include <mutex>

#include "shim.hpp"
#ifdef USE_TAPEGRAD
namespace at = tg;
#endif

namespace nn = torch::nn;
using torch::Tensor;

static void exact(const std::string& name, const Tensor& t) {
  const bool f32 = t.scalar_type() == torch::kFloat;
  auto c = t.detach().to(torch::kDouble).contiguous().reshape({-1});
  std::printf("%s [", name.c_str());
  for (int64_t k = 0; k < t.dim(); ++k) std::printf(k ? ",%" PRId64 : "%" PRId64, t.size(k));
  std::printf("]");
  const double* p = c.data_ptr<double>();
  for (int64_t i = 0; i < c.numel(); ++i) std::printf(f32 ? " %.9g" : " %.17g", p[i]);
  std::printf("\n");
}

// QR's last bits depend on the LAPACK kernel OpenBLAS picks for the CPU (libtorch and tapegrad
// agree on any one machine, by 1-2 ulp across machines): orthogonal_ rows print 4 digits.
static void qr_rounded(const std::string& name, const Tensor& t) {
  auto c = t.detach().to(torch::kDouble).contiguous().reshape({-1});
  std::printf("%s [", name.c_str());
  for (int64_t k = 0; k < t.dim(); ++k) std::printf(k ? ",%" PRId64 : "%" PRId64, t.size(k));
  std::printf("]");
  const double* p = c.data_ptr<double>();
  for (int64_t i = 0; i < c.numel(); ++i) std::printf(" %.4g", p[i]);
  std::printf("\n");
}

static void section(const std::string& name, int64_t seed) {
  std::printf("# %s seed %" PRId64 "\n", name.c_str(), seed);
  torch::manual_seed(uint64_t(seed));
}

int main() {
  const int64_t seeds[] = {0, 1, 42, 123456789};
  const int64_t sizes[] = {1, 2, 5, 15, 16, 17, 31, 32, 33, 50};
  for (int64_t s : seeds) {
    section("rand", s);
    for (int64_t n : {1, 5, 17}) exact("rand/float32/" + std::to_string(n), torch::rand({n}));
    for (int64_t n : {1, 5, 17})
      exact("rand/float64/" + std::to_string(n), torch::rand({n}, torch::kDouble));
    exact("rand/float32/2x3", torch::rand({2, 3}));

    section("randn", s);  // below 16 elements: Box-Muller pairs with a cache; 16 and more: blocks
    for (int64_t n : sizes) exact("randn/float32/" + std::to_string(n), torch::randn({n}));
    for (int64_t n : sizes)
      exact("randn/float64/" + std::to_string(n), torch::randn({n}, torch::kDouble));
    exact("randn/float32/4x5", torch::randn({4, 5}));
    exact("randn/float32/3x1x7", torch::randn({3, 1, 7}));

    section("randint", s);
    exact("randint/0_10", torch::randint(0, 10, {8}));
    exact("randint/-5_5/float64", torch::randint(-5, 5, {7}, torch::kDouble));
    exact("randint/3/float32", torch::randint(3, {4}, torch::kFloat));
    exact("randint/wide", torch::randint(0, int64_t(1) << 40, {3}));
    exact("randint/2x2", torch::randint(100, {2, 2}));

    section("randperm", s);
    for (int64_t n : {0, 1, 2, 10, 37}) exact("randperm/" + std::to_string(n), torch::randperm(n));
    exact("randperm/float32", torch::randperm(6, torch::kFloat));
  }

  section("normal_", 7);
  for (int64_t n : {3, 16, 20}) {
    exact("normal_/float32/" + std::to_string(n), torch::empty({n}).normal_(2.0, 3.0));
    exact("normal_/float64/" + std::to_string(n),
          torch::empty({n}, torch::kDouble).normal_(2.0, 3.0));
  }
  exact("normal/float32", torch::normal(-1.0, 0.5, {6}));

  section("uniform_", 7);
  for (int64_t n : {3, 20}) {
    exact("uniform_/float32/" + std::to_string(n), torch::empty({n}).uniform_(-0.3, 0.7));
    exact("uniform_/float64/" + std::to_string(n),
          torch::empty({n}, torch::kDouble).uniform_(-0.3, 0.7));
  }

  section("cache", 3);  // an odd count of small normal draws leaves a value for the next call
  exact("cache/a", torch::randn({3}, torch::kDouble));
  exact("cache/b", torch::randn({3}, torch::kDouble));
  exact("cache/c", torch::randn({1}));
  torch::manual_seed(3);  // reseeding drops the cached value
  exact("cache/reseeded", torch::randn({3}, torch::kDouble));

  section("bernoulli", 11);
  exact("bernoulli_/0.3", torch::empty({12}).bernoulli_(0.3));
  exact("bernoulli_/float64", torch::empty({5}, torch::kDouble).bernoulli_(0.5));
  exact("bernoulli/p_float32", torch::bernoulli(torch::linspace(0, 1, 9)));
  exact("bernoulli/p_float64", torch::bernoulli(torch::linspace(0, 1, 9, torch::kDouble)));
  exact("bernoulli/self_p", torch::bernoulli(torch::zeros({6}), 0.7));
  exact("bernoulli/method", torch::full({2, 3}, 0.4).bernoulli());

  section("multinomial", 5);
  auto probs = torch::tensor({0.1, 0.2, 0.3, 0.4});
  exact("multinomial/no_replacement", torch::multinomial(probs, 4));
  exact("multinomial/one", torch::multinomial(probs, 1));
  exact("multinomial/replacement", torch::multinomial(probs, 10, true));
  exact("multinomial/float64", torch::multinomial(probs.to(torch::kDouble), 3));
  exact("multinomial/2d", torch::multinomial(torch::tensor({{1.0, 2.0, 3.0}, {3.0, 0.0, 1.0}}), 2));
  exact("multinomial/2d_replacement",
        torch::multinomial(torch::tensor({{1.0, 2.0, 3.0}, {3.0, 0.0, 1.0}}), 5, true));
  exact("multinomial/method", probs.multinomial(2));

  section("exponential_", 5);
  exact("exponential_/float32", torch::empty({5}).exponential_(1.5));
  exact("exponential_/float64", torch::empty({5}, torch::kDouble).exponential_());
  exact("random_/0_10", torch::empty({6}).random_(0, 10));
  exact("random_/to", torch::empty({6}, torch::kLong).random_(7));

  section("like", 9);
  auto base = torch::zeros({2, 3}, torch::kDouble);
  exact("rand_like", torch::rand_like(base));
  exact("randn_like", torch::randn_like(base));
  exact("randint_like", torch::randint_like(base, 10));
  exact("randint_like/low_high", torch::randint_like(base, -3, 3));

  section("dropout", 13);
  exact("dropout/0.5", torch::dropout(torch::ones({10}), 0.5, true));
  exact("dropout/0.3", torch::dropout(torch::ones({3, 4}), 0.3, true));
  exact("dropout/float64", torch::dropout(torch::ones({7}, torch::kDouble), 0.2, true));
  exact("dropout/eval", torch::dropout(torch::ones({4}), 0.5, false));
  nn::Dropout drop(nn::DropoutOptions(0.25));
  drop->train();
  exact("Dropout/module", drop(torch::ones({2, 5})));

  auto planes = torch::ones({2, 3, 2, 2});
  exact("feature_dropout", torch::feature_dropout(planes, 0.5, true));
  exact("alpha_dropout", torch::alpha_dropout(torch::ones({8}), 0.3, true));
  exact("feature_alpha_dropout", torch::feature_alpha_dropout(planes, 0.4, true));
  nn::Dropout2d drop2d(0.5);
  exact("Dropout2d", drop2d(planes));
  exact("Dropout2d/unbatched", drop2d(torch::ones({3, 2, 2})));
  nn::Dropout3d drop3d(nn::Dropout3dOptions(0.5));
  exact("Dropout3d", drop3d(torch::ones({2, 2, 1, 2, 2})));
  nn::AlphaDropout alpha(0.2);
  exact("AlphaDropout", alpha(torch::ones({2, 4})));
  nn::FeatureAlphaDropout falpha(0.5);
  exact("FeatureAlphaDropout", falpha(planes));
  exact("F::dropout2d", torch::nn::functional::dropout2d(
                            planes, torch::nn::functional::Dropout2dFuncOptions().p(0.3)));
  drop2d->eval();
  exact("Dropout2d/eval", drop2d(planes));

  section("init", 17);
  auto w = torch::empty({4, 6});
  exact("init/kaiming_uniform_", nn::init::kaiming_uniform_(w, std::sqrt(5.0)));
  exact("init/kaiming_normal_", nn::init::kaiming_normal_(w));
  exact("init/xavier_uniform_", nn::init::xavier_uniform_(w));
  exact("init/xavier_normal_", nn::init::xavier_normal_(w));
  exact("init/uniform_", nn::init::uniform_(w, -2, 2));
  exact("init/normal_", nn::init::normal_(w, 1, 0.1));
  qr_rounded("init/orthogonal_/square", nn::init::orthogonal_(torch::empty({4, 4})));
  qr_rounded("init/orthogonal_/wide", nn::init::orthogonal_(torch::empty({3, 7}), 2.0));
  qr_rounded("init/orthogonal_/tall", nn::init::orthogonal_(torch::empty({6, 2})));
  qr_rounded("init/orthogonal_/conv", nn::init::orthogonal_(torch::empty({2, 3, 2, 2})));
  qr_rounded("init/orthogonal_/float64",
             nn::init::orthogonal_(torch::empty({5, 3}, torch::kDouble)));
  exact("init/sparse_", nn::init::sparse_(torch::empty({5, 3}), 0.4, 0.5));
  exact("init/kaiming_uniform_/float64",
        nn::init::kaiming_uniform_(torch::empty({3, 5}, torch::kDouble)));

  section("layers", 21);  // every layer's default initialisation, parameters in registration order
  auto params = [](const std::string& name, const nn::Module& m) {
    for (const auto& p : m.named_parameters()) exact(name + "/" + p.key(), p.value());
  };
  params("Linear", *nn::Linear(10, 4));
  params("Linear/no_bias", *nn::Linear(nn::LinearOptions(3, 2).bias(false)));
  params("Conv1d", *nn::Conv1d(2, 3, 3));
  params("Conv2d", *nn::Conv2d(2, 3, 3));
  params("Embedding", *nn::Embedding(5, 3));
  params("RNN", *nn::RNN(3, 4));
  params("LSTM", *nn::LSTM(3, 4));
  params("GRU", *nn::GRU(2, 3));
  params("Bilinear", *nn::Bilinear(2, 3, 2));
  params("BatchNorm1d", *nn::BatchNorm1d(3));
  params("LayerNorm", *nn::LayerNorm(nn::LayerNormOptions({4})));
  params("Sequential", *nn::Sequential(nn::Linear(3, 5), nn::ReLU(), nn::Linear(5, 1)));

  section("generator", 0);
  auto gen = torch::make_generator<torch::CPUGeneratorImpl>(42);
  exact("generator/randn", torch::randn({3}, gen));
  exact("generator/rand", torch::rand({3}, gen));
  exact("generator/randint", torch::randint(10, {4}, gen));
  exact("generator/randperm", torch::randperm(5, gen));
  exact("generator/normal_", torch::empty({3}).normal_(0, 1, gen));
  exact("generator/default_untouched", torch::rand({2}));  // seed 0's first values
  auto copy = gen;                                         // a copy shares the stream
  auto twin = gen.clone();                                 // a clone continues on its own
  exact("generator/copy", torch::rand({2}, copy));
  exact("generator/gen_after_copy", torch::rand({2}, gen));
  exact("generator/clone", torch::rand({2}, twin));
  std::printf("generator/current_seed %" PRIu64 "\n", gen.current_seed());
  gen.set_current_seed(5);
  exact("generator/reseeded", torch::rand({2}, gen));
  {
    std::lock_guard<std::mutex> lock(gen.mutex());
    auto* impl = gen.get<torch::CPUGeneratorImpl>();
    std::printf("generator/random %" PRIu32 " %" PRIu64 "\n", impl->random(), impl->random64());
  }
  section("state", 8);  // get_state / set_state: libtorch's 5056-byte layout, and a replay
  auto g2 = torch::make_generator<torch::CPUGeneratorImpl>(99);
  torch::randn({3}, g2, torch::kDouble);  // leaves a cached normal value in the state
  torch::rand({1}, g2, torch::kFloat);
  auto state = g2.get_state();
  const auto* bytes = state.data_ptr<uint8_t>();
  int64_t byte_sum = 0;
  for (int64_t i = 0; i < state.numel(); ++i) byte_sum += bytes[i];
  std::printf("state/numel %" PRId64 " sum %" PRId64 " head", state.numel(), byte_sum);
  for (int i = 0; i < 24; ++i) std::printf(" %d", int(bytes[i]));
  std::printf(" tail");
  for (int64_t i = state.numel() - 24; i < state.numel(); ++i) std::printf(" %d", int(bytes[i]));
  std::printf("\n");
  auto first = torch::randn({3}, g2, torch::kDouble);
  g2.set_state(state);
  exact("state/replay_first", first);
  exact("state/replay_again", torch::randn({3}, g2, torch::kDouble));
  auto dflt = at::detail::getDefaultCPUGenerator();
  auto saved = dflt.get_state();
  auto r1 = torch::rand({4});
  dflt.set_state(saved);
  exact("state/default_replay", torch::rand({4}) - r1);

  torch::manual_seed(1234);
  std::printf("default/current_seed %" PRIu64 "\n",
              at::detail::getDefaultCPUGenerator().current_seed());
  return 0;
}
