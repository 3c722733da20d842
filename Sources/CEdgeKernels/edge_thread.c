#define _GNU_SOURCE
#include "edge_thread.h"

#if defined(__linux__)
#include <sys/prctl.h>

void edge_set_thread_name(const char* name) { prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0); }
#else
void edge_set_thread_name(const char* name) { (void)name; }
#endif
