// The buffer cache of pool.hpp.
#include "pool.hpp"

#include <algorithm>
#include <cstdlib>
#include <new>

namespace tg::pool {
namespace {
constexpr int kMinShift = 6;   // 64 B, the smallest class (and the alignment)
constexpr int kMaxShift = 26;  // 64 MiB; larger buffers go straight to the system
constexpr int kClasses = kMaxShift - kMinShift + 1;
constexpr size_t kClassBudget = size_t(8) << 20;  // bytes cached per class

struct FreeBlock {
  FreeBlock* next;
};
// Trivially destructible, so they stay usable while the thread's other thread_locals (and, on
// the main thread, static objects holding tensors) are destroyed.
struct Cache {
  FreeBlock* head[kClasses];
  size_t bytes[kClasses];
};
thread_local Cache t_cache;
thread_local bool t_drained = false;
// Returns the thread's cached blocks to the system at thread exit; later releases on this
// thread (static tensors destroyed after it) bypass the cache.
struct Drain {
  ~Drain() {
    for (int c = 0; c < kClasses; ++c)
      while (FreeBlock* b = t_cache.head[c]) t_cache.head[c] = b->next, std::free(b);
    t_drained = true;
  }
};
thread_local Drain t_drain;

int class_of(size_t n) {  // -1: not cached
  if (n <= (size_t(1) << kMinShift)) return 0;
  int shift = 64 - __builtin_clzll(n - 1);
  return shift > kMaxShift ? -1 : shift - kMinShift;
}
void* system_alloc(size_t n) {
  void* p = std::aligned_alloc(64, (n + 63) / 64 * 64);
  if (!p) throw std::bad_alloc();
  return p;
}
}  // namespace

void* allocate(size_t n) {
  const int c = class_of(n);
  if (c < 0) return system_alloc(n);
  if (FreeBlock* b = t_cache.head[c]) {
    t_cache.head[c] = b->next;
    t_cache.bytes[c] -= size_t(1) << (c + kMinShift);
    return b;
  }
  (void)&t_drain;  // first use on this thread registers the drain at thread exit
  return system_alloc(size_t(1) << (c + kMinShift));
}

void release(void* p, size_t n) {
  if (!p) return;
  const int c = class_of(n);
  const size_t size = size_t(1) << (c + kMinShift);
  if (c < 0 || t_drained || t_cache.bytes[c] + size > std::max(kClassBudget, 4 * size))
    return std::free(p);
  auto* b = static_cast<FreeBlock*>(p);
  b->next = t_cache.head[c];
  t_cache.head[c] = b;
  t_cache.bytes[c] += size;
}

}  // namespace tg::pool
