#include "edge_cpu.h"
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static unsigned long long edge_xgetbv(void) {
  unsigned int eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return ((unsigned long long)edx << 32) | eax;
}

edge_cpu_features edge_cpu_detect(void) {
  edge_cpu_features f;
  memset(&f, 0, sizeof(f));
  unsigned int eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
  f.sse41 = (ecx >> 19) & 1;
  f.fma = (ecx >> 12) & 1;
  const bool osxsave = (ecx >> 27) & 1;
  const bool avx = (ecx >> 28) & 1;
  if (!osxsave || !avx) { f.fma = false; return f; }
  const unsigned long long xcr0 = edge_xgetbv();
  const bool ymm_state = (xcr0 & 0x6) == 0x6;
  const bool zmm_state = (xcr0 & 0xE6) == 0xE6;
  if (!ymm_state) { f.fma = false; return f; }
  if (__get_cpuid_max(0, 0) < 7) return f;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const unsigned int max_subleaf = eax;
  f.avx2 = (ebx >> 5) & 1;
  if (zmm_state) {
    f.avx512f = (ebx >> 16) & 1;
    f.avx512bw = (ebx >> 30) & 1;
    f.avx512vl = (ebx >> 31) & 1;
    f.avx512vnni = f.avx512f && ((ecx >> 11) & 1);
  }
  if (max_subleaf < 1) return f;
  // AVX-VNNI (the VEX vpdpbusd): leaf 7 subleaf 1, EAX bit 4; it uses only the ymm state.
  __cpuid_count(7, 1, eax, ebx, ecx, edx);
  f.avxvnni = f.avx2 && ((eax >> 4) & 1);
  return f;
}
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>

// Bit of AT_HWCAP for the dot-product instructions (Linux arch/arm64 uapi hwcap.h).
#define EDGE_HWCAP_ASIMDDP (1UL << 20)
// Bit of AT_HWCAP for Advanced SIMD.
#define EDGE_HWCAP_ASIMD (1UL << 1)

edge_cpu_features edge_cpu_detect(void) {
  edge_cpu_features f;
  memset(&f, 0, sizeof(f));
  const unsigned long hwcap = getauxval(AT_HWCAP);
  f.neon = (hwcap & EDGE_HWCAP_ASIMD) != 0;
  f.neondot = f.neon && (hwcap & EDGE_HWCAP_ASIMDDP) != 0;
  return f;
}
#else
edge_cpu_features edge_cpu_detect(void) {
  edge_cpu_features f;
  memset(&f, 0, sizeof(f));
  return f;
}
#endif
