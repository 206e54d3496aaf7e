// The generator (autograd/generator.hpp): libtorch's engine, bulk draws that equal single
// draws, state save/restore, and threads. The values themselves are pinned against libtorch's
// by tests/compat/random.cpp.
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "helpers.hpp"

using namespace tg;

TEST_CASE("mt19937 is the standard engine: the 10000th draw from seed 5489 is 4123659995") {
  mt19937 e;  // the reference value of the C++ standard ([rand.predef])
  uint32_t v = 0;
  for (int i = 0; i < 10000; ++i) v = e();
  CHECK(v == 4123659995u);
}

TEST_CASE("bulk fill gives the same values as single draws, across state regenerations") {
  for (int64_t skip : {0, 1, 622, 623, 624, 700}) {
    for (int64_t n : {1, 2, 623, 624, 625, 1248, 2000}) {
      mt19937 a(7), b(7);
      for (int64_t i = 0; i < skip; ++i) a(), b();
      std::vector<uint32_t> bulk(static_cast<size_t>(n));
      a.fill(bulk.data(), n);
      bool same = true;
      for (int64_t i = 0; i < n; ++i) same = same && bulk[size_t(i)] == b();
      CHECK_MESSAGE(same, "skip " << skip << " n " << n);
      CHECK(a() == b());  // and the engines continue in step
    }
  }
}

TEST_CASE("manual_seed repeats the stream; a generator's clone continues on its own") {
  manual_seed(3);
  Tensor a = randn({20});
  manual_seed(3);
  CHECK(equal(randn({20}), a));
  Generator g = make_generator<CPUGeneratorImpl>(11);
  Tensor first = rand({5}, g);
  Generator twin = g.clone();
  CHECK(equal(rand({5}, g), rand({5}, twin)));
  CHECK(g.current_seed() == 11);
  CHECK(!equal(rand({5}, g), first));
}

TEST_CASE("get_state / set_state restore the engine and the cached normal value") {
  Generator g = make_generator<CPUGeneratorImpl>(5);
  randn({3}, g, kDouble);  // an odd number of small normal draws caches one value
  Tensor state = g.get_state();
  CHECK(state.scalar_type() == kByte);
  CHECK(state.numel() == 5056);
  Tensor next = randn({3}, g, kDouble);
  g.set_state(state);
  CHECK(equal(randn({3}, g, kDouble), next));
  CHECK_THROWS_WITH_AS(g.set_state(zeros({10}, kByte)),
                       doctest::Contains("found the input RNG state size to be 10"), Error);
  CHECK_THROWS_WITH_AS(g.set_state(zeros({5056}, kFloat)), doctest::Contains("ByteTensor"), Error);
}

TEST_CASE("threads: own generators give the sequential values; a shared one loses no draw") {
  std::vector<Tensor> seq;
  for (int t = 0; t < 4; ++t) seq.push_back(randn({1000}, make_generator<CPUGeneratorImpl>(t)));
  std::vector<Tensor> par(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back(
        [&par, t] { par[size_t(t)] = randn({1000}, make_generator<CPUGeneratorImpl>(t)); });
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) CHECK(equal(par[size_t(t)], seq[size_t(t)]));

  // Four threads drawing 250 uniforms each from one generator take 1000 consecutive draws
  // between them: together, the same multiset as one thread drawing 1000.
  Generator shared = make_generator<CPUGeneratorImpl>(9);
  std::vector<Tensor> parts(4);
  threads.clear();
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] { parts[size_t(t)] = rand({250}, shared); });
  for (auto& th : threads) th.join();
  Tensor together = std::get<0>(cat(parts).sort());
  Tensor alone = std::get<0>(rand({1000}, make_generator<CPUGeneratorImpl>(9)).sort());
  CHECK(equal(together, alone));
}
