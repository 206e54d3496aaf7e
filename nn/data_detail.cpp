// tg::data::detail: the mutex, condition variable and threads behind the data loader's
// queues and workers, WorkerException's message, and ChunkDataset's checks and errors.
#include "data_detail.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "../autograd/core.hpp"
#include "data_chunk.hpp"

namespace tg::data {

WorkerException::WorkerException(std::exception_ptr original)
    : original_exception(std::move(original)),
      message("Caught exception in DataLoader worker thread.") {
  try {
    std::rethrow_exception(original_exception);
  } catch (const std::exception& e) {
    message += " Original message: ";
    message += e.what();
  } catch (...) {  // not a std::exception: nothing more to say
  }
}

namespace detail {

struct Monitor::Impl {
  std::mutex mutex;
  std::condition_variable cv;
};

Monitor::Monitor() : impl_(std::make_unique<Impl>()) {}
Monitor::~Monitor() = default;
void Monitor::lock() { impl_->mutex.lock(); }
void Monitor::unlock() { impl_->mutex.unlock(); }
void Monitor::notify_one() { impl_->cv.notify_one(); }
void Monitor::notify_all() { impl_->cv.notify_all(); }

bool Monitor::wait(const std::function<bool()>& ready,
                   std::optional<std::chrono::milliseconds> timeout) {
  // The caller holds the mutex: adopt it for the wait and hand it back locked.
  std::unique_lock<std::mutex> lock(impl_->mutex, std::adopt_lock);
  bool ok = true;
  if (timeout)
    ok = impl_->cv.wait_for(lock, *timeout, ready);
  else
    impl_->cv.wait(lock, ready);
  lock.release();
  return ok;
}

struct WorkerThreads::Impl {
  std::vector<std::thread> threads;
};

WorkerThreads::WorkerThreads() : impl_(std::make_unique<Impl>()) {}
WorkerThreads::~WorkerThreads() { join(); }
void WorkerThreads::start(std::function<void()> body) {
  impl_->threads.emplace_back(std::move(body));
}
void WorkerThreads::join() {
  for (std::thread& t : impl_->threads)
    if (t.joinable()) t.join();
  impl_->threads.clear();
}
size_t WorkerThreads::size() const { return impl_->threads.size(); }

void queue_timeout(std::chrono::milliseconds timeout) {
  throw Error("Timeout in DataLoader queue while waiting for next batch (timeout was " +
              std::to_string(timeout.count()) + " ms)");
}

}  // namespace detail
}  // namespace tg::data

// ---- ChunkDataset ------------------------------------------------------------------------
namespace tg::data::datasets {

ChunkDatasetOptions::ChunkDatasetOptions(size_t preloader_count, size_t batch_size,
                                         size_t cache_size, size_t cross_chunk_shuffle_count)
    : preloader_count_(preloader_count),
      batch_size_(batch_size),
      cache_size_(cache_size),
      cross_chunk_shuffle_count_(cross_chunk_shuffle_count) {
  if (preloader_count_ == 0)
    throw Error("Preloader count is 0. At least one preloader needs to be specified.");
  if (batch_size_ == 0)
    throw Error("Batch size is 0. A positive batch size needs to be specified.");
  if (cache_size_ == 0)
    throw Error("Cache size is 0. A positive cache size needs to be specified.");
  if (cache_size_ < batch_size_)
    throw Error(
        "Cache size is less than batch size. Cache needs to be large enough to hold at least "
        "one batch.");
  if (cross_chunk_shuffle_count_ == 0)
    throw Error("cross_chunk_shuffle_count needs to be greater than 0.");
}

void detail::chunk_batch_size_mismatch(size_t requested, size_t configured) {
  throw Error(
      "The requested batch size does not match with the initialized batch size.\n The "
      "requested batch size is " +
      std::to_string(requested) + ", while the dataset is created with batch size equal to " +
      std::to_string(configured));
}

void detail::chunk_not_reset() {
  throw Error("Dataset needs to call reset() before calling get_batch().");
}

void detail::chunk_index_out_of_range() { throw Error("Index out of range"); }

}  // namespace tg::data::datasets
