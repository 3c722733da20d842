// A vpdpbusd throughput probe: the benchmark times it next to the kernels so each layer's
// rate can be quoted as a fraction of what this core delivers at that moment (the shared
// machine's clock moves by 2x between minutes, so absolute rates alone mislead).
#include "q8kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
int32_t q8_vnni_peak_probe(size_t iterations) {
  __m512i acc[16];
  for (int i = 0; i < 16; i++) acc[i] = _mm512_set1_epi32(i);
  const __m512i a = _mm512_set1_epi8(1), b = _mm512_set1_epi8(1);
  for (size_t n = 0; n < iterations; n++) {
    for (int i = 0; i < 16; i++) acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
    __asm__ volatile("" : "+v"(acc[0]), "+v"(acc[1]), "+v"(acc[2]), "+v"(acc[3]), "+v"(acc[4]), "+v"(acc[5]),
                     "+v"(acc[6]), "+v"(acc[7]));
  }
  __m512i sum = acc[0];
  for (int i = 1; i < 16; i++) sum = _mm512_add_epi32(sum, acc[i]);
  return _mm512_reduce_add_epi32(sum);
}
#else
int32_t q8_vnni_peak_probe(size_t iterations) {
  (void)iterations;
  return 0;
}
#endif
