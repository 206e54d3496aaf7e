// The buffer cache's slow paths (pool.hpp has the cache and its fast paths).
#include "pool.hpp"

#include <cstdlib>
#include <new>

namespace tg::pool::detail {
namespace {
// Returns the thread's cached blocks to the system at thread exit; later releases on this
// thread (static tensors destroyed after it) bypass the cache.
struct Drain {
  ~Drain() {
    Cache& k = cache();
    for (int c = 0; c < kClasses; ++c)
      while (FreeBlock* b = k.head[c]) k.head[c] = b->next, std::free(b);
    k.drained = true;
  }
};
thread_local Drain t_drain;
}  // namespace

void* allocate_slow(size_t n) {
  const int c = class_of(n);
  if (c >= 0) {
    (void)&t_drain;  // first use on this thread registers the drain at thread exit
    n = class_bytes(c);
  }
  void* p = std::aligned_alloc(64, (n + 63) / 64 * 64);
  if (!p) throw std::bad_alloc();
  return p;
}

void release_slow(void* p, size_t) { std::free(p); }

}  // namespace tg::pool::detail
