// ThreadSanitizer annotations for the Synchronization module's Mutex.
//
// On Linux a contended Mutex is handed over by the kernel (a priority-inheriting futex), in
// library code that ThreadSanitizer does not instrument, so it sees no ordering between two
// holders and reports their accesses to the guarded value as races. The runtime's own
// acquire/release hooks state that ordering. They are weak references: in a build without
// ThreadSanitizer they resolve to null and the calls cost one test.
#include "edge_sync.h"

extern void __tsan_acquire(void* address) __attribute__((weak));
extern void __tsan_release(void* address) __attribute__((weak));

void edge_sync_acquired(void* address) {
  if (__tsan_acquire) __tsan_acquire(address);
}

void edge_sync_released(void* address) {
  if (__tsan_release) __tsan_release(address);
}

int edge_sync_annotated(void) {
  return __tsan_acquire != 0 && __tsan_release != 0;
}
