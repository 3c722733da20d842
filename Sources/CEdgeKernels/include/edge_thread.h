#ifndef EDGETOP_EDGE_THREAD_H
#define EDGETOP_EDGE_THREAD_H

// Names the calling thread (at most 15 bytes are kept), as /proc/[pid]/task/[tid]/comm
// shows it: the process panel tells edgetop's inference threads apart by these names.
// Swift's Glibc module does not export pthread_setname_np.
void edge_set_thread_name(const char* name);

#endif
