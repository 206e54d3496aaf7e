// tg::data: DataLoaderOptions and libtorch 1.13's data loaders (torch/data/dataloader*.h,
// iterator.h). `make_data_loader(dataset, options)` builds a StatelessDataLoader with a
// RandomSampler over the dataset's size (or the sampler given); `for (auto& batch : *loader)`
// then walks one epoch, each begin() resetting the sampler:
//
//   auto train = tg::data::datasets::MNIST("data/mnist")
//                    .map(tg::data::transforms::Normalize<>(0.1307, 0.3081))
//                    .map(tg::data::transforms::Stack<>());
//   auto loader = tg::data::make_data_loader(std::move(train),
//                                            tg::data::DataLoaderOptions().batch_size(64));
//   for (auto& batch : *loader) step(batch.data, batch.target);  // [64,1,28,28], [64]
//
// Workers: with options.workers() = n, n threads fetch batches ahead of the iterator, as
// libtorch's; with enforce_ordering (the default) they come in the sampler's order, the same
// batches as without workers.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "../autograd/core.hpp"
#include "data_datasets.hpp"
#include "data_detail.hpp"
#include "data_samplers.hpp"

namespace tg::data {

// libtorch's options, plus two of tapegrad's (shuffle, seed) that only tg::data::DataLoader
// reads: make_data_loader takes the order from its sampler.
struct DataLoaderOptions {
  DataLoaderOptions() = default;
  DataLoaderOptions(size_t batch_size) : batch_size_(batch_size) {}  // NOLINT: as libtorch
  TG_ARG(size_t, batch_size) = 1;
  TG_ARG(size_t, workers) = 0;  // threads fetching batches ahead (0: the calling thread)
  TG_ARG(std::optional<size_t>, max_jobs);
  TG_ARG(std::optional<std::chrono::milliseconds>, timeout);
  TG_ARG(bool, enforce_ordering) = true;
  TG_ARG(bool, drop_last) = false;  // omit a last batch smaller than batch_size
  // tg::data::DataLoader only: a new random order every epoch, from a generator of the
  // loader's own seeded with `seed`.
  TG_ARG(bool, shuffle) = false;
  TG_ARG(uint64_t, seed) = 0;
};

// The options with max_jobs resolved (2 * workers unless set), as libtorch's.
struct FullDataLoaderOptions {
  explicit FullDataLoaderOptions(DataLoaderOptions options)
      : batch_size(options.batch_size()),
        workers(options.workers()),
        max_jobs(options.max_jobs().value_or(2 * workers)),
        timeout(options.timeout()),
        enforce_ordering(options.enforce_ordering()),
        drop_last(options.drop_last()) {}
  size_t batch_size;
  size_t workers;
  size_t max_jobs;
  std::optional<std::chrono::milliseconds> timeout;
  bool enforce_ordering;
  bool drop_last;
};

namespace detail {
[[noreturn]] void data_loader_fail(const std::string& message);  // throws tg::Error
}  // namespace detail

// An input iterator over one epoch. The first batch is fetched lazily (at the first
// dereference or comparison), as libtorch's; copies share their position.
template <typename Batch>
class Iterator {
 public:
  using difference_type = std::ptrdiff_t;
  using value_type = Batch;
  using pointer = Batch*;
  using reference = Batch&;
  using iterator_category = std::input_iterator_tag;
  using BatchProducer = std::function<std::optional<Batch>()>;

  Iterator() = default;  // the past-the-end sentinel
  explicit Iterator(BatchProducer next_batch)
      : state_(std::make_shared<State>(State{std::move(next_batch), std::nullopt, false})) {}

  Iterator& operator++() {
    if (!state_)
      detail::data_loader_fail(
          "Incrementing the DataLoader's past-the-end iterator is not allowed");
    state_->initialize();
    if (!state_->batch) detail::data_loader_fail("Attempted to increment iterator past the end");
    state_->batch = state_->next_batch();
    return *this;
  }
  Batch& operator*() { return get(); }
  Batch* operator->() { return &get(); }
  bool operator==(const Iterator& other) const {
    if (state_ && other.state_) return state_ == other.state_;
    const State* valid = state_ ? state_.get() : other.state_.get();
    if (!valid) return true;  // two sentinels
    valid->initialize();
    return !valid->batch;
  }
  bool operator!=(const Iterator& other) const { return !(*this == other); }

 private:
  struct State {
    BatchProducer next_batch;
    mutable std::optional<Batch> batch;
    mutable bool initialized;
    void initialize() const {
      if (!initialized) batch = next_batch(), initialized = true;
    }
  };
  Batch& get() {
    if (!state_)
      detail::data_loader_fail(
          "Dereferencing the DataLoader's past-the-end iterator is not allowed");
    state_->initialize();
    if (!state_->batch)
      detail::data_loader_fail("Attempted to dereference iterator that was past the end");
    return *state_->batch;
  }
  std::shared_ptr<State> state_;
};

// What the loaders share: options, begin() / end(), the worker threads and the jobs they run.
// Without workers a batch is fetched in the calling thread when the iterator reaches it. With
// options.workers() = n, n threads fetch batches from jobs (batch requests) that begin() and
// each delivered batch queue ahead, up to max_jobs at a time; with enforce_ordering the
// batches come back in request order. An exception in a worker reaches the caller as a
// WorkerException when its batch is due; a timeout, if set, bounds each wait for a batch.
template <typename Dataset, typename Batch, typename BatchRequest>
class DataLoaderBase {
 public:
  using BatchType = Batch;
  using BatchRequestType = BatchRequest;

  explicit DataLoaderBase(DataLoaderOptions options, std::unique_ptr<Dataset> dataset = nullptr)
      : options_(std::move(options)),
        main_thread_dataset_(std::move(dataset)),
        sequencer_(new_sequencer()) {}
  virtual ~DataLoaderBase() { join(); }
  DataLoaderBase(const DataLoaderBase&) = delete;  // begin()'s iterators point at the loader
  DataLoaderBase& operator=(const DataLoaderBase&) = delete;

  // Starts a new epoch (resetting the sampler or stateful dataset); the previous epoch's
  // jobs must all have been delivered.
  Iterator<Batch> begin() {
    if (shuttle_.in_flight_jobs() != 0)
      detail::data_loader_fail(
          "Attempted to get a new DataLoader iterator while another iterator is not yet "
          "exhausted");
    reset();
    return Iterator<Batch>([this] { return this->next(); });
  }
  Iterator<Batch> end() { return Iterator<Batch>(); }
  // Stops and joins the worker threads (the destructor does it too).
  void join() {
    if (joined_) return;
    shuttle_.drain();
    for (size_t w = 0; w < workers_.size(); ++w) shuttle_.push_job(Job{std::nullopt, 0});
    workers_.join();
    joined_ = true;
  }
  const FullDataLoaderOptions& options() const noexcept { return options_; }

 protected:
  struct Job {
    std::optional<BatchRequest> batch_request;  // nullopt: the worker quits
    size_t sequence_number;
  };
  struct Result {
    std::optional<Batch> batch;  // nullopt from a stateful dataset: its epoch ended
    std::exception_ptr exception;
    size_t sequence_number;
  };

  virtual std::optional<BatchRequestType> get_batch_request() = 0;

  virtual void reset() {
    shuttle_.drain();
    sequence_number_ = 0;
    sequencer_ = new_sequencer();
    prefetch(options_.max_jobs);
  }

  // Starts one worker thread per dataset, each fetching from its own (a stateless loader
  // gives every worker a copy of the dataset, a stateful one the same dataset).
  void start_worker(Dataset& dataset) {
    workers_.start([this, &dataset] { this->worker_thread(dataset); });
  }

  std::optional<BatchType> next() {
    if (options_.workers > 0) {
      while (std::optional<Result> result =
                 sequencer_->next([this] { return shuttle_.pop_result(options_.timeout); })) {
        if (result->exception) throw WorkerException(result->exception);
        if (result->batch) {
          prefetch(1);
          return std::move(result->batch);
        }
      }
    } else if (auto request = get_batch_request()) {
      return main_thread_dataset_->get_batch(std::move(*request));
    }
    return std::nullopt;
  }

  const FullDataLoaderOptions options_;
  std::unique_ptr<Dataset> main_thread_dataset_;

 private:
  void prefetch(size_t jobs) {
    for (size_t i = 0; i < jobs; ++i) {
      auto request = get_batch_request();
      if (!request) break;
      shuttle_.push_job(Job{std::move(*request), sequence_number_++});
    }
  }

  void worker_thread(Dataset& dataset) {
    while (true) {
      Job job = shuttle_.pop_job();
      if (!job.batch_request) return;
      Result result{std::nullopt, nullptr, job.sequence_number};
      try {
        result.batch = dataset.get_batch(std::move(*job.batch_request));
      } catch (...) {
        result.exception = std::current_exception();
      }
      shuttle_.push_result(std::move(result));
    }
  }

  std::unique_ptr<detail::sequencers::Sequencer<Result>> new_sequencer() {
    if (options_.enforce_ordering)
      return std::make_unique<detail::sequencers::OrderedSequencer<Result>>(options_.max_jobs);
    return std::make_unique<detail::sequencers::NoSequencer<Result>>();
  }

  size_t sequence_number_ = 0;
  detail::DataShuttle<Job, Result> shuttle_;
  std::unique_ptr<detail::sequencers::Sequencer<Result>> sequencer_;
  detail::WorkerThreads workers_;  // declared last: joined (by join()) before the rest goes
  bool joined_ = false;
};

// A loader for a dataset that answers any batch request: the sampler picks the indices. Each
// worker thread gets its own copy of the dataset (so the dataset must be copyable to have
// workers); without workers the loader keeps the dataset itself.
template <typename Dataset, typename Sampler>
class StatelessDataLoader : public DataLoaderBase<Dataset, typename Dataset::BatchType,
                                                  typename Sampler::BatchRequestType> {
 public:
  using super =
      DataLoaderBase<Dataset, typename Dataset::BatchType, typename Sampler::BatchRequestType>;
  using typename super::BatchRequestType;

  StatelessDataLoader(Dataset dataset, Sampler sampler, DataLoaderOptions options)
      : super(std::move(options)), sampler_(std::move(sampler)) {
    if (this->options_.workers == 0) {
      this->main_thread_dataset_ = std::make_unique<Dataset>(std::move(dataset));
      return;
    }
    if constexpr (std::is_copy_constructible_v<Dataset>) {
      for (size_t w = 0; w < this->options_.workers; ++w)
        worker_datasets_.push_back(std::make_unique<Dataset>(dataset));
      for (auto& copy : worker_datasets_) this->start_worker(*copy);
    } else {
      detail::data_loader_fail(
          "DataLoader workers need a copyable dataset (each worker gets a copy); wrap it with "
          "make_shared_dataset");
    }
  }
  ~StatelessDataLoader() override { this->join(); }  // before the workers' datasets go

 private:
  void reset() override {
    sampler_.reset();
    super::reset();
  }
  std::optional<BatchRequestType> get_batch_request() override {
    auto indices = sampler_.next(this->options_.batch_size);
    if (!indices || (indices->size() < this->options_.batch_size && this->options_.drop_last))
      return std::nullopt;
    return indices;
  }

  Sampler sampler_;
  std::vector<std::unique_ptr<Dataset>> worker_datasets_;
};

// A loader for a stateful dataset (its batches are optional<...>): it asks for batch_size
// examples until the dataset says nullopt; begin() calls the dataset's reset(). Worker threads
// share the one dataset, which must then be safe to call from several threads.
template <typename Dataset>
class StatefulDataLoader : public DataLoaderBase<Dataset, typename Dataset::BatchType::value_type,
                                                 typename Dataset::BatchRequestType> {
 public:
  using super = DataLoaderBase<Dataset, typename Dataset::BatchType::value_type,
                               typename Dataset::BatchRequestType>;
  using typename super::BatchRequestType;

  StatefulDataLoader(Dataset dataset, DataLoaderOptions options)
      : super(std::move(options), std::make_unique<Dataset>(std::move(dataset))) {
    for (size_t w = 0; w < this->options_.workers; ++w)
      this->start_worker(*this->main_thread_dataset_);
  }

 private:
  void reset() override {
    this->main_thread_dataset_->reset();
    super::reset();
  }
  std::optional<BatchRequestType> get_batch_request() override {
    return BatchRequestType(this->options_.batch_size);
  }
};

// ---- make_data_loader --------------------------------------------------------------------
template <typename Dataset, typename Sampler>
std::enable_if_t<!Dataset::is_stateful, std::unique_ptr<StatelessDataLoader<Dataset, Sampler>>>
make_data_loader(Dataset dataset, Sampler sampler, DataLoaderOptions options) {
  return std::make_unique<StatelessDataLoader<Dataset, Sampler>>(
      std::move(dataset), std::move(sampler), std::move(options));
}

// The sampler (RandomSampler by default) is built from the dataset's size.
template <typename Sampler = samplers::RandomSampler, typename Dataset>
std::enable_if_t<!Dataset::is_stateful && std::is_constructible_v<Sampler, size_t>,
                 std::unique_ptr<StatelessDataLoader<Dataset, Sampler>>>
make_data_loader(Dataset dataset, DataLoaderOptions options = DataLoaderOptions()) {
  const std::optional<size_t> size = dataset.size();
  if (!size)
    detail::data_loader_fail(
        "make_data_loader: Expected the dataset to be sized in order to construct the Sampler");
  return make_data_loader(std::move(dataset), Sampler(*size), std::move(options));
}

template <typename Dataset, typename = std::enable_if_t<Dataset::is_stateful>>
std::unique_ptr<StatefulDataLoader<Dataset>> make_data_loader(
    Dataset dataset, DataLoaderOptions options = DataLoaderOptions()) {
  return std::make_unique<StatefulDataLoader<Dataset>>(std::move(dataset), std::move(options));
}

}  // namespace tg::data
