// tg::data::datasets::ChunkDataset: libtorch 1.13's dataset over data stored in chunks
// (torch/data/datasets/chunk.h), e.g. one file per chunk. A ChunkDataReader reads chunk i as a
// vector of examples; the chunk sampler picks which chunks (cross_chunk_shuffle_count at a time,
// read together and optionally passed through a preprocessing policy), the example sampler the
// order of examples within them, and the examples are cut into batches of batch_size. It is a
// StatefulDataset: wrap it in make_shared_dataset and give it to make_data_loader with the same
// batch size.
//
//   struct Reader : tg::data::datasets::ChunkDataReader<int> {
//     std::vector<int> read_chunk(size_t i) override { return {int(10 * i), int(10 * i + 1)}; }
//     size_t chunk_count() override { return 3; }
//     void reset() override {}
//   };
//   using Chunks = tg::data::datasets::ChunkDataset<Reader, SequentialSampler, SequentialSampler>;
//   auto ds = tg::data::datasets::make_shared_dataset<Chunks>(
//       Reader{}, SequentialSampler(0), SequentialSampler(0), ChunkDatasetOptions(1, 2));
//   auto loader = tg::data::make_data_loader(ds, tg::data::DataLoaderOptions(2));
//   // batches {0, 1}, {10, 11}, {20, 21}
//
// libtorch reads chunks ahead in preloader_count background threads into a cache of
// cache_size examples. Here a batch's chunks are read when the batch is asked for, in the
// asking thread (under a lock, so loader workers may share the dataset): the same batches in
// the same order as libtorch with one preloader; preloader_count and cache_size are checked
// as libtorch does but only bound what libtorch would read ahead.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "../autograd/core.hpp"
#include "data_datasets.hpp"
#include "data_detail.hpp"
#include "data_samplers.hpp"

namespace tg::data::datasets {

// Reads a dataset's chunks: chunk_count() of them, each a ChunkType (a vector of examples).
template <typename ExampleType_, typename ChunkType_ = std::vector<ExampleType_>>
class ChunkDataReader {
 public:
  virtual ~ChunkDataReader() = default;
  using ChunkType = ChunkType_;
  using ExampleType = ExampleType_;
  virtual ChunkType read_chunk(size_t chunk_index) = 0;
  virtual size_t chunk_count() = 0;
  virtual void reset() = 0;  // called at the start of every epoch
};

struct ChunkDatasetOptions {
  ChunkDatasetOptions() = delete;
  // Throws tg::Error with libtorch's messages for a zero count or size, or a cache smaller
  // than one batch.
  ChunkDatasetOptions(size_t preloader_count, size_t batch_size, size_t cache_size = 2048,
                      size_t cross_chunk_shuffle_count = 1);
  TG_ARG(size_t, preloader_count);
  TG_ARG(size_t, batch_size);
  TG_ARG(size_t, cache_size) = 2048;
  TG_ARG(size_t, cross_chunk_shuffle_count) = 1;
};

namespace detail {
// "The requested batch size does not match ..." and friends, as tg::Error.
[[noreturn]] void chunk_batch_size_mismatch(size_t requested, size_t configured);
[[noreturn]] void chunk_not_reset();
[[noreturn]] void chunk_index_out_of_range();
}  // namespace detail

template <typename ChunkReader, typename ChunkSampler = samplers::RandomSampler,
          typename ExampleSampler = samplers::RandomSampler>
class ChunkDataset final
    : public StatefulDataset<ChunkDataset<ChunkReader, ChunkSampler, ExampleSampler>,
                             typename ChunkReader::BatchType, size_t> {
 public:
  using BatchType = optional<typename ChunkReader::BatchType>;
  using UnwrappedBatchType = typename ChunkReader::BatchType;
  using BatchRequestType = size_t;
  using ChunkSamplerType = ChunkSampler;
  using ExampleSamplerType = ExampleSampler;

  ChunkDataset(ChunkReader chunk_reader, ChunkSampler chunk_sampler, ExampleSampler example_sampler,
               ChunkDatasetOptions options,
               std::function<void(UnwrappedBatchType&)> preprocessing_policy = {})
      : chunk_reader_(std::move(chunk_reader)),
        chunk_sampler_(std::move(chunk_sampler)),
        example_sampler_(std::move(example_sampler)),
        options_(std::move(options)),
        preprocessing_policy_(std::move(preprocessing_policy)) {}

  // The next batch of options.batch_size() examples (fewer at the end of the epoch), nullopt
  // once every chunk is used up. reset() must have been called (the loader's begin() does).
  BatchType get_batch(size_t batch_size) override {
    if (!started_) detail::chunk_not_reset();
    if (batch_size != options_.batch_size())
      detail::chunk_batch_size_mismatch(batch_size, options_.batch_size());
    tg::data::detail::Monitor::Guard guard(monitor_);
    while (queued_examples_ < options_.batch_size() && !exhausted_ && !failed_) read_chunks();
    if (batches_.empty()) return nullopt;
    Pending batch = std::move(batches_.front());
    batches_.pop_front();
    if (batch.exception) {
      failed_ = false;
      throw WorkerException(batch.exception);
    }
    queued_examples_ -= batch.examples.size();
    return std::move(batch.examples);
  }
  BatchType get_batch() { return get_batch(options_.batch_size()); }

  // A new epoch: the reader and the chunk sampler start over, unless load() just restored the
  // chunk sampler's position, which this epoch then continues from.
  void reset() override {
    tg::data::detail::Monitor::Guard guard(monitor_);
    if (!load_checkpoint_) {
      chunk_reader_.reset();
      chunk_sampler_.reset(chunk_reader_.chunk_count());
    }
    // libtorch never clears this flag, so there every later epoch would skip the reset too
    // (and be empty); the checkpoint is meant for the epoch that follows it.
    load_checkpoint_ = false;
    batches_.clear();
    queued_examples_ = 0;
    exhausted_ = failed_ = false;
    started_ = true;
  }

  optional<size_t> size() const override { return nullopt; }
  ChunkSamplerType& chunk_sampler() { return chunk_sampler_; }

  // The chunk sampler's position (what a checkpoint needs to resume at the next chunk).
  void save(serialize::OutputArchive& archive) const override {
    tg::data::detail::Monitor::Guard guard(monitor_);
    chunk_sampler_.save(archive);
  }
  void load(serialize::InputArchive& archive) override {
    tg::data::detail::Monitor::Guard guard(monitor_);
    chunk_sampler_.load(archive);
    load_checkpoint_ = true;
  }

 private:
  struct Pending {
    UnwrappedBatchType examples;
    std::exception_ptr exception;  // a failed read, thrown when its turn comes
  };

  // Reads the next cross_chunk_shuffle_count chunks and deals their examples into batches.
  void read_chunks() {
    auto chunk_indices = chunk_sampler_.next(options_.cross_chunk_shuffle_count());
    if (!chunk_indices) {
      exhausted_ = true;
      return;
    }
    try {
      UnwrappedBatchType data = chunk_reader_.read_chunk(chunk_indices->at(0));
      for (size_t i = 1; i < chunk_indices->size(); ++i) {
        UnwrappedBatchType more = chunk_reader_.read_chunk(chunk_indices->at(i));
        for (auto& example : more) data.push_back(std::move(example));
      }
      if (preprocessing_policy_) preprocessing_policy_(data);
      if (!data.empty()) add_examples(std::move(data));
    } catch (...) {
      batches_.push_back(Pending{{}, std::current_exception()});
      failed_ = true;  // deliver what came before, then the exception
    }
  }

  // The example sampler orders the chunks' examples; they first top up the last batch if it
  // is short, then fill new ones.
  void add_examples(UnwrappedBatchType data) {
    const size_t size = data.size();
    size_t remaining = size;
    example_sampler_.reset(size);
    auto fill = [&](size_t count, UnwrappedBatchType& batch) {
      auto indices = example_sampler_.next(count);
      for (size_t i : *indices) {
        if (i >= size) detail::chunk_index_out_of_range();
        batch.push_back(std::move(data[i]));
      }
      remaining -= count;
    };
    if (!batches_.empty() && !batches_.back().exception &&
        batches_.back().examples.size() < options_.batch_size())
      fill(std::min(remaining, options_.batch_size() - batches_.back().examples.size()),
           batches_.back().examples);
    while (remaining > 0) {
      Pending batch;
      batch.examples.reserve(options_.batch_size());
      fill(std::min(remaining, options_.batch_size()), batch.examples);
      batches_.push_back(std::move(batch));
    }
    queued_examples_ += size;
  }

  ChunkReader chunk_reader_;
  ChunkSamplerType chunk_sampler_;
  ExampleSamplerType example_sampler_;
  const ChunkDatasetOptions options_;
  std::function<void(UnwrappedBatchType&)> preprocessing_policy_;
  mutable tg::data::detail::Monitor monitor_;
  std::deque<Pending> batches_;
  size_t queued_examples_ = 0;
  bool started_ = false, exhausted_ = false, failed_ = false, load_checkpoint_ = false;
};

}  // namespace tg::data::datasets
