#ifndef EDGETOP_EDGE_SYNC_H
#define EDGETOP_EDGE_SYNC_H

/// Tells ThreadSanitizer, when the program runs under it, that the lock at `address` was
/// taken: everything the last holder did before `edge_sync_released` happens before what
/// follows. Without ThreadSanitizer both calls do nothing.
void edge_sync_acquired(void* address);

/// Tells ThreadSanitizer that the lock at `address` is about to be let go.
void edge_sync_released(void* address);

/// Whether the ThreadSanitizer runtime is linked in (the annotations above take effect).
int edge_sync_annotated(void);

#endif
