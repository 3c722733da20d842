// The AVX-VNNI depthwise kernels' test twin: q8dwconv_avxvnni_body.h compiled with the EVEX
// 256-bit vpdpbusd (AVX-512 VL + VNNI), which computes the same bits. Tests run it byte for byte
// against the reference on AVX-512 CPUs, which cannot execute the VEX form.
#if defined(__x86_64__)
#define Q8V_TARGET __attribute__((target("avx2,fma,avx512vl,avx512vnni")))
#define Q8V_DPBUSD _mm256_dpbusd_epi32
#define Q8V_NAME(op) op##__avxvnni_evex
#include "q8dwconv_avxvnni_body.h"
#endif
