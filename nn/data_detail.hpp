// tg::data::detail: the pieces libtorch 1.13's data loader builds its worker threads from
// (torch/data/detail/{queue,data_shuttle,sequencers}.h, torch/data/worker_exception.h):
//   Queue<T>            a blocking FIFO; pop() waits for a value (or throws after a timeout)
//   DataShuttle<J, R>   jobs to the workers, results back, with a count of jobs in flight
//   sequencers::        NoSequencer (results as they come), OrderedSequencer (in job order)
//   WorkerException     what an exception thrown in a worker thread reaches the caller as
// The mutex, condition variable and threads live behind Monitor and WorkerThreads (defined in
// data_detail.cpp), so a program including this header does not compile <mutex>,
// <condition_variable> or <thread>.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tg::data {

// An exception thrown while a worker thread fetched a batch, rethrown in the thread that asked
// for it: what() is "Caught exception in DataLoader worker thread. Original message: <what>".
struct WorkerException : public std::exception {
  explicit WorkerException(std::exception_ptr original);
  const char* what() const noexcept override { return message.c_str(); }
  std::exception_ptr original_exception;
  std::string message;
};

namespace detail {

// A mutex and a condition variable. lock() / unlock() (or a Guard) around the shared state;
// wait() must be called with the lock held and returns with it held.
class Monitor {
 public:
  Monitor();
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  void lock();
  void unlock();
  // Blocks until ready() is true (checked under the lock); false if `timeout` passed first.
  bool wait(const std::function<bool()>& ready,
            std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  void notify_one();
  void notify_all();

  class Guard {
   public:
    explicit Guard(Monitor& monitor) : monitor_(monitor) { monitor_.lock(); }
    ~Guard() { monitor_.unlock(); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    Monitor& monitor_;
  };

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Threads started one by one and joined together.
class WorkerThreads {
 public:
  WorkerThreads();
  ~WorkerThreads();  // joins whatever still runs
  WorkerThreads(const WorkerThreads&) = delete;
  WorkerThreads& operator=(const WorkerThreads&) = delete;
  void start(std::function<void()> body);
  void join();
  size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "Timeout in DataLoader queue while waiting for next batch (timeout was N ms)", as tg::Error.
[[noreturn]] void queue_timeout(std::chrono::milliseconds timeout);

// A FIFO that any thread may push to and pop from; pop() blocks while it is empty.
template <typename T>
class Queue {
 public:
  void push(T value) {
    {
      Monitor::Guard guard(monitor_);
      queue_.push_back(std::move(value));
    }
    monitor_.notify_one();
  }
  // The oldest value; with a timeout, throws tg::Error (queue_timeout) when none came in time.
  T pop(std::optional<std::chrono::milliseconds> timeout = std::nullopt) {
    Monitor::Guard guard(monitor_);
    if (!monitor_.wait([this] { return !queue_.empty(); }, timeout)) queue_timeout(*timeout);
    T value = std::move(queue_.front());
    queue_.pop_front();
    return value;
  }
  // Drops every queued value; returns how many there were.
  size_t clear() {
    Monitor::Guard guard(monitor_);
    const size_t size = queue_.size();
    queue_.clear();
    return size;
  }

 private:
  std::deque<T> queue_;
  Monitor monitor_;
};

// Jobs go to the workers through one queue and results come back through another. The count
// of jobs in flight is kept by (and only read from) the thread that pushes jobs: pop_result()
// says nullopt, without waiting, when no job is outstanding.
template <typename Job, typename Result>
class DataShuttle {
 public:
  void push_job(Job job) {
    new_jobs_.push(std::move(job));
    ++in_flight_jobs_;
  }
  void push_result(Result result) { results_.push(std::move(result)); }
  Job pop_job() { return new_jobs_.pop(); }
  std::optional<Result> pop_result(
      std::optional<std::chrono::milliseconds> timeout = std::nullopt) {
    if (in_flight_jobs_ == 0) return std::nullopt;
    auto result = results_.pop(timeout);
    --in_flight_jobs_;
    return result;
  }
  // Forgets the jobs no worker took yet and waits for (and drops) the results of the others.
  void drain() {
    in_flight_jobs_ -= new_jobs_.clear();
    while (in_flight_jobs_ > 0) pop_result();
  }
  size_t in_flight_jobs() const noexcept { return in_flight_jobs_; }

 private:
  Queue<Job> new_jobs_;
  size_t in_flight_jobs_ = 0;
  Queue<Result> results_;
};

namespace sequencers {

// Decides which result the loader hands out next, pulling new ones from `next_result`
// (nullopt: nothing outstanding).
template <typename Result>
struct Sequencer {
  using ResultProducer = std::function<std::optional<Result>()>;
  virtual ~Sequencer() = default;
  virtual std::optional<Result> next(ResultProducer next_result) = 0;
};

// Results in the order the workers finish them.
template <typename Result>
struct NoSequencer final : public Sequencer<Result> {
  using typename Sequencer<Result>::ResultProducer;
  std::optional<Result> next(ResultProducer next_result) override { return next_result(); }
};

// Results in the order of their jobs' sequence numbers: one that arrives early waits in a
// ring buffer of max_jobs slots (at most max_jobs jobs are ever outstanding).
template <typename Result>
struct OrderedSequencer : public Sequencer<Result> {
  using typename Sequencer<Result>::ResultProducer;
  explicit OrderedSequencer(size_t max_jobs) : buffer_(max_jobs) {}

  std::optional<Result> next(ResultProducer next_result) override {
    if (std::optional<Result>& waiting = slot(next_sequence_number_)) {
      std::optional<Result> result = std::move(waiting);
      waiting.reset();
      ++next_sequence_number_;
      return result;
    }
    while (std::optional<Result> result = next_result()) {
      if (result->sequence_number == next_sequence_number_) {
        ++next_sequence_number_;
        return result;
      }
      slot(result->sequence_number) = std::move(result);
    }
    return std::nullopt;
  }

  std::optional<Result>& slot(size_t sequence_number) {
    return buffer_.at(sequence_number % buffer_.size());
  }

  size_t next_sequence_number_ = 0;
  std::vector<std::optional<Result>> buffer_;
};

}  // namespace sequencers
}  // namespace detail
}  // namespace tg::data
