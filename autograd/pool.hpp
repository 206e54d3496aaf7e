// Internal: a per-thread cache of freed buffers up to 64 MiB, in power-of-two size classes.
// A training loop allocates the same temporaries every step; recycling them skips glibc's
// aligned malloc/free (~80 ns a pair, and the bulk of a tiny op's cost before this existed).
// Each class keeps at most 8 MiB (or 4 blocks) cached; the rest goes back to malloc, so memory
// stays at what the loop actually uses. Threads have their own caches, drained at thread exit.
//
// The common case -- a block of a cached class taken from or put back on its free list -- is
// inline below: every tensor and tape chunk comes through here, and for a tiny op the call
// itself cost as much as the list operation. Everything else is in pool.cpp.
#pragma once

#include <cstddef>

namespace tg::pool {

void* allocate(size_t nbytes);         // 64-byte aligned; throws std::bad_alloc
void release(void* p, size_t nbytes);  // nbytes exactly as given to allocate

namespace detail {
constexpr int kMinShift = 6;   // 64 B, the smallest class (and the alignment)
constexpr int kMaxShift = 26;  // 64 MiB; larger buffers go straight to the system
constexpr int kClasses = kMaxShift - kMinShift + 1;
constexpr size_t kClassBudget = size_t(8) << 20;  // bytes cached per class

struct FreeBlock {
  FreeBlock* next;
};
// Trivially constructible and destructible, so it needs no guard on access and stays usable
// while the thread's other thread_locals (and, on the main thread, static objects holding
// tensors) are destroyed. `drained`: the thread has exited and returned its blocks (pool.cpp).
struct Cache {
  FreeBlock* head[kClasses];
  size_t bytes[kClasses];
  bool drained;
};
inline Cache& cache() {
  static thread_local Cache c;
  return c;
}
constexpr int class_of(size_t n) {  // -1: not cached
  if (n <= (size_t(1) << kMinShift)) return 0;
  int shift = 64 - __builtin_clzll(n - 1);
  return shift > kMaxShift ? -1 : shift - kMinShift;
}
constexpr size_t class_bytes(int c) { return size_t(1) << (c + kMinShift); }
void* allocate_slow(size_t nbytes);  // from the system; registers the thread's drain
void release_slow(void* p, size_t nbytes);
}  // namespace detail

inline void* allocate(size_t nbytes) {
  using namespace detail;
  const int c = class_of(nbytes);
  if (c >= 0) {
    Cache& k = cache();
    if (FreeBlock* b = k.head[c]) {
      k.head[c] = b->next;
      k.bytes[c] -= class_bytes(c);
      return b;
    }
  }
  return allocate_slow(nbytes);
}

inline void release(void* p, size_t nbytes) {
  using namespace detail;
  const int c = class_of(nbytes);
  if (c >= 0 && p) {
    Cache& k = cache();
    const size_t size = class_bytes(c);
    if (!k.drained && k.bytes[c] + size <= (kClassBudget > 4 * size ? kClassBudget : 4 * size)) {
      auto* b = static_cast<FreeBlock*>(p);
      b->next = k.head[c];
      k.head[c] = b;
      k.bytes[c] += size;
      return;
    }
  }
  release_slow(p, nbytes);
}

}  // namespace tg::pool
