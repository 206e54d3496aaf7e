// Internal: a per-thread cache of freed buffers up to 64 MiB, in power-of-two size classes.
// A training loop allocates the same temporaries every step; recycling them skips glibc's
// aligned malloc/free (~80 ns a pair, and the bulk of a tiny op's cost before this existed).
// Each class keeps at most 8 MiB (or 4 blocks) cached; the rest goes back to malloc, so memory
// stays at what the loop actually uses. Threads have their own caches, drained at thread exit.
#pragma once

#include <cstddef>

namespace tg::pool {

void* allocate(size_t nbytes);         // 64-byte aligned; throws std::bad_alloc
void release(void* p, size_t nbytes);  // nbytes exactly as given to allocate

}  // namespace tg::pool
