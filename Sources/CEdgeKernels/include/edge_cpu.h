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
  /// 64-bit ARM: Advanced SIMD with fp32 FMA, present on every ARMv8-A core.
  bool neon;
  /// 64-bit ARM: the ARMv8.2 dot-product extension (`sdot`/`udot`), from the hwcaps.
  bool neondot;
} edge_cpu_features;

/// Features of the CPU this process runs on: cpuid/xgetbv on x86-64, the kernel's hwcaps on
/// 64-bit ARM, all false elsewhere.
edge_cpu_features edge_cpu_detect(void);
#endif
