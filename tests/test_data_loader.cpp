#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "helpers.hpp"
#include "tapegrad.hpp"

// tg::data's worker machinery (Queue, DataShuttle, sequencers, loaders with worker threads),
// the distributed samplers, sampler and dataset checkpoints (tg::save / tg::load), and
// ChunkDataset. Expected orders are libtorch 1.13's, printed by the same calls against it.

using test::contains;
using test::error_of;
namespace data = tg::data;
namespace smp = tg::data::samplers;
using std::chrono::milliseconds;
using Indices = std::vector<size_t>;

namespace {

template <typename S>
std::vector<Indices> drain(S& sampler, size_t batch_size) {
  std::vector<Indices> out;
  while (auto batch = sampler.next(batch_size)) out.push_back(*batch);
  return out;
}

// get(i) = 1 + i, after sleeping longer for lower indices (so workers finish out of order).
struct Slow : data::datasets::Dataset<Slow, int> {
  int get(size_t i) override {
    std::this_thread::sleep_for(milliseconds(i < 4 ? 8 - 2 * int(i) : 0));
    return int(1 + i);
  }
  tg::optional<size_t> size() const override { return 12; }
};

// Chunks of 10, 5 and 20 consecutive numbers (0..34), as in PyTorch's own tests.
struct Chunks : data::datasets::ChunkDataReader<int> {
  using BatchType = std::vector<int>;
  BatchType read_chunk(size_t c) override {
    const int sizes[] = {10, 5, 20}, starts[] = {0, 10, 15};
    BatchType chunk(size_t(sizes[c]));
    std::iota(chunk.begin(), chunk.end(), starts[c]);
    return chunk;
  }
  size_t chunk_count() override { return 3; }
  void reset() override {}
};

template <typename Loader>
std::vector<std::vector<int>> epoch(Loader& loader) {
  std::vector<std::vector<int>> out;
  for (auto& batch : loader) out.push_back(batch);
  return out;
}

std::vector<int> range(int from, int to) {
  std::vector<int> v(size_t(to - from));
  std::iota(v.begin(), v.end(), from);
  return v;
}

}  // namespace

TEST_CASE("data::detail: Queue, DataShuttle and the sequencers") {
  data::detail::Queue<int> queue;
  queue.push(1);
  queue.push(2);
  CHECK(queue.pop() == 1);
  CHECK(queue.pop() == 2);
  CHECK(error_of([&] { queue.pop(milliseconds(5)); }) ==
        "Timeout in DataLoader queue while waiting for next batch (timeout was 5 ms)");
  queue.push(3);
  queue.push(4);
  CHECK(queue.clear() == 2);
  std::thread pusher([&] {
    std::this_thread::sleep_for(milliseconds(10));
    queue.push(123);
  });
  CHECK(queue.pop() == 123);  // blocks until the other thread pushes
  pusher.join();

  data::detail::DataShuttle<int, int> shuttle;
  CHECK_FALSE(shuttle.pop_result().has_value());  // nothing in flight: no wait
  shuttle.push_job(7);
  shuttle.push_job(8);
  CHECK(shuttle.in_flight_jobs() == 2);
  CHECK(shuttle.pop_job() == 7);
  shuttle.push_result(70);
  CHECK(*shuttle.pop_result() == 70);
  shuttle.drain();  // job 8 was never taken: forgotten
  CHECK(shuttle.in_flight_jobs() == 0);
  CHECK_FALSE(shuttle.pop_result().has_value());

  struct S {
    size_t sequence_number;
  };
  data::detail::sequencers::OrderedSequencer<S> ordered(5);
  std::vector<size_t> arrivals = {0, 2, 4, 3, 1};
  size_t pulled = 0;
  auto producer = [&]() -> tg::optional<S> { return S{arrivals.at(pulled++)}; };
  for (size_t want = 0; want < 5; ++want) CHECK(ordered.next(producer)->sequence_number == want);
  CHECK(pulled == 5);
  data::detail::sequencers::NoSequencer<int> none;
  CHECK(*none.next([] { return 5; }) == 5);
}

TEST_CASE("make_data_loader with worker threads: order, prefetch, errors, timeout") {
  // Four workers finish the first batches last; enforce_ordering hands them out in order.
  std::vector<int> expected = range(1, 13);
  for (bool ordered : {true, false}) {
    auto loader =
        data::make_data_loader(Slow(), smp::SequentialSampler(12),
                               data::DataLoaderOptions(1).workers(4).enforce_ordering(ordered));
    CHECK(loader->options().max_jobs == 8);
    for (int round = 0; round < 2; ++round) {
      std::vector<int> got;
      for (auto& batch : *loader) got.push_back(batch.at(0));
      if (!ordered) std::sort(got.begin(), got.end());  // every batch, in whatever order
      CHECK(got == expected);
    }
  }

  // begin() queued max_jobs jobs: a second begin() before they are delivered is refused.
  auto loader = data::make_data_loader(Slow(), data::DataLoaderOptions(1).workers(2));
  auto it = loader->begin();
  CHECK(error_of([&] { loader->begin(); }) ==
        "Attempted to get a new DataLoader iterator while another iterator is not yet exhausted");

  struct Failing : data::datasets::Dataset<Failing, int> {
    int get(size_t) override { throw std::invalid_argument("badness"); }
    tg::optional<size_t> size() const override { return 10; }
  };
  auto failing = data::make_data_loader(Failing(), data::DataLoaderOptions(2).workers(2));
  std::string message;
  bool original_kept = false;
  try {
    (void)*failing->begin();
  } catch (const data::WorkerException& e) {
    message = e.what();
    try {
      std::rethrow_exception(e.original_exception);
    } catch (const std::invalid_argument&) {
      original_kept = true;
    }
  }
  CHECK(message == "Caught exception in DataLoader worker thread. Original message: badness");
  CHECK(original_kept);

  auto slow =
      data::make_data_loader(Slow(), smp::SequentialSampler(12),
                             data::DataLoaderOptions(1).workers(1).timeout(milliseconds(1)));
  CHECK(contains(error_of([&] { (void)*slow->begin(); }), "(timeout was 1 ms)"));
}

TEST_CASE("DistributedRandomSampler / DistributedSequentialSampler: libtorch's slices") {
  smp::DistributedRandomSampler one(10);
  CHECK(drain(one, 4) == std::vector<Indices>{{0, 2, 1, 5}, {9, 8, 4, 7}, {6, 3}});
  CHECK(one.index() == 10);
  one.set_epoch(1);
  one.reset();
  CHECK(drain(one, 4) == std::vector<Indices>{{9, 0, 2, 5}, {7, 4, 6, 3}, {1, 8}});
  one.reset(7);
  CHECK(drain(one, 3) == std::vector<Indices>{{1, 0, 6}, {3, 5, 4}, {2}});

  // Three replicas with duplicates: ceil(10 / 3) = 4 each, indices 0 and 1 twice;
  // without: floor(10 / 3) = 3 each, index 9 left out. index() counts from the list's start.
  const std::vector<std::vector<Indices>> dup = {
      {{0, 2}, {1, 5}}, {{9, 1}, {4, 7}}, {{6, 0}, {3, 8}}};
  const std::vector<std::vector<Indices>> nodup = {{{2, 4}, {6}}, {{0, 5}, {1}}, {{8, 3}, {7}}};
  for (size_t rank = 0; rank < 3; ++rank) {
    smp::DistributedRandomSampler d(10, 3, rank, true);
    CHECK(drain(d, 2) == dup[rank]);
    CHECK(d.index() == 4 * (rank + 1));
    d.reset();
    CHECK(drain(d, 2) == dup[rank]);
    smp::DistributedRandomSampler n(10, 3, rank, false);
    CHECK(drain(n, 2) == nodup[rank]);
  }

  const std::vector<std::vector<Indices>> seq_dup = {
      {{0, 1}, {2, 3}}, {{4, 5}, {6, 7}}, {{8, 9}, {0, 1}}};
  const std::vector<std::vector<Indices>> seq_nodup = {{{0, 1}, {2}}, {{3, 4}, {5}}, {{6, 7}, {8}}};
  for (size_t rank = 0; rank < 3; ++rank) {
    smp::DistributedSequentialSampler d(10, 3, rank, true);
    CHECK(drain(d, 2) == seq_dup[rank]);
    CHECK(d.index() == 4 * (rank + 1));
    smp::DistributedSequentialSampler n(10, 3, rank, false);
    CHECK(drain(n, 2) == seq_nodup[rank]);
  }
  smp::DistributedSequentialSampler s(10);
  s.next(3);
  s.reset(4);
  CHECK(drain(s, 3) == std::vector<Indices>{{0, 1, 2}, {3}});
}

TEST_CASE("tg::save / tg::load of samplers keep their position") {
  smp::SequentialSampler a(10);
  a.next(3);
  a.next(4);
  std::stringstream stream;
  tg::save(a, stream);
  smp::SequentialSampler b(10);
  tg::load(b, stream);
  CHECK(b.index() == 7);
  CHECK(drain(b, 5) == std::vector<Indices>{{7, 8, 9}});

  tg::manual_seed(0);
  smp::RandomSampler r(10);
  r.next(3);
  std::stringstream rs;
  tg::save(r, rs);
  smp::RandomSampler r2(4);  // a different size: the saved permutation replaces its own
  tg::load(r2, rs);
  CHECK(r2.index() == 3);
  CHECK(*r2.next(10) == *r.next(10));

  smp::StreamSampler st(10);
  st.next(3);
  std::stringstream ss;
  tg::save(st, ss);
  smp::StreamSampler st2(10);
  tg::load(st2, ss);
  CHECK(st2.next(100)->size() == 7);

  // A distributed sampler restores its epoch's permutation, then the position in it.
  smp::DistributedRandomSampler d(10);
  d.set_epoch(2);
  d.next(3);
  std::stringstream ds;
  tg::save(d, ds);
  smp::DistributedRandomSampler d2(10);
  tg::load(d2, ds);
  CHECK(d2.epoch() == 2);
  CHECK(d2.index() == 3);
  CHECK(*d2.next(10) == Indices{1, 8, 4, 6, 2, 7, 9});
}

TEST_CASE("ChunkDataset: batches across chunks, cross-chunk shuffle, policy, checkpoints") {
  using Seq = smp::SequentialSampler;
  using Dataset = data::datasets::ChunkDataset<Chunks, Seq, Seq>;
  namespace ds = data::datasets;

  CHECK(error_of([] { ds::ChunkDatasetOptions(0, 1); }) ==
        "Preloader count is 0. At least one preloader needs to be specified.");
  CHECK(error_of([] { ds::ChunkDatasetOptions(1, 10, 5); }) ==
        "Cache size is less than batch size. Cache needs to be large enough to hold at least "
        "one batch.");
  CHECK(error_of([] { ds::ChunkDatasetOptions(1, 10, 20, 0); }) ==
        "cross_chunk_shuffle_count needs to be greater than 0.");

  // Batches run across chunk boundaries; a second epoch starts over.
  auto seven =
      ds::make_shared_dataset<Dataset>(Chunks{}, Seq(0), Seq(0), ds::ChunkDatasetOptions(1, 7));
  auto loader = data::make_data_loader(seven, data::DataLoaderOptions(7));
  const std::vector<std::vector<int>> by7 = {range(0, 7), range(7, 14), range(14, 21),
                                             range(21, 28), range(28, 35)};
  CHECK(epoch(*loader) == by7);
  CHECK(epoch(*loader) == by7);
  CHECK(seven->chunk_sampler().index() == 3);

  // With workers sharing the dataset, every example still comes exactly once.
  auto shared = data::make_data_loader(seven, data::DataLoaderOptions(7).workers(2));
  std::vector<int> all;
  for (auto& batch : *shared) all.insert(all.end(), batch.begin(), batch.end());
  std::sort(all.begin(), all.end());
  CHECK(all == range(0, 35));

  auto wrong = data::make_data_loader(seven, data::DataLoaderOptions(6));
  CHECK(error_of([&] { (void)*wrong->begin(); }) ==
        "The requested batch size does not match with the initialized batch size.\n The "
        "requested batch size is 6, while the dataset is created with batch size equal to 7");

  // A preprocessing policy sees each chunk (here reversed) before it is cut into batches.
  auto reversed = ds::make_shared_dataset<Dataset>(
      Chunks{}, Seq(0), Seq(0), ds::ChunkDatasetOptions(1, 5),
      [](std::vector<int>& v) { std::reverse(v.begin(), v.end()); });
  auto rl = data::make_data_loader(reversed, data::DataLoaderOptions(5));
  const std::vector<std::vector<int>> rev = {
      {9, 8, 7, 6, 5},      {4, 3, 2, 1, 0},      {14, 13, 12, 11, 10}, {34, 33, 32, 31, 30},
      {29, 28, 27, 26, 25}, {24, 23, 22, 21, 20}, {19, 18, 17, 16, 15}};
  CHECK(epoch(*rl) == rev);

  // Random chunk and example order from the default generator, as libtorch's.
  tg::manual_seed(0);
  using Rand = smp::RandomSampler;
  auto random = ds::make_shared_dataset<ds::ChunkDataset<Chunks, Rand, Rand>>(
      Chunks{}, Rand(0), Rand(0), ds::ChunkDatasetOptions(1, 6));
  auto rnd = data::make_data_loader(random, data::DataLoaderOptions(6));
  const std::vector<std::vector<int>> by6 = {{28, 16, 24, 18, 22, 33}, {32, 26, 15, 23, 31, 29},
                                             {20, 21, 19, 27, 30, 17}, {25, 34, 9, 0, 8, 7},
                                             {1, 4, 3, 6, 2, 5},       {11, 10, 14, 13, 12}};
  CHECK(epoch(*rnd) == by6);

  // A checkpoint of the chunk sampler: the next epoch resumes after the saved chunks, the one
  // after that starts over.
  Seq skip(0);
  skip.reset(3);
  skip.next(2);
  std::stringstream checkpoint;
  tg::save(skip, checkpoint);
  auto resumed =
      ds::make_shared_dataset<Dataset>(Chunks{}, skip, Seq(0), ds::ChunkDatasetOptions(1, 10, 20));
  tg::load(*resumed, checkpoint);
  auto rl2 = data::make_data_loader(resumed, data::DataLoaderOptions(10));
  CHECK(epoch(*rl2) == std::vector<std::vector<int>>{range(15, 25), range(25, 35)});
  CHECK(epoch(*rl2) ==
        std::vector<std::vector<int>>{range(0, 10), range(10, 20), range(20, 30), range(30, 35)});
  std::stringstream saved;
  tg::save(*resumed, saved);
  Seq restored(0);
  tg::load(restored, saved);
  CHECK(restored.index() == 3);
}
