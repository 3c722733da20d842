#ifndef EDGETOP_EDGE_CPU_H
#define EDGETOP_EDGE_CPU_H
#include <stdbool.h>

/// CPU features that decide which microkernel family runs. Read once with cpuid/xgetbv.
typedef struct edge_cpu_features {
  bool sse41;
  bool avx2;
  bool fma;
  bool avx512f;
  bool avx512bw;
  bool avx512vl;
  bool avx512vnni;
  bool avxvnni;
} edge_cpu_features;

/// Features of the CPU this process runs on (all false on non-x86 targets).
edge_cpu_features edge_cpu_detect(void);
#endif
