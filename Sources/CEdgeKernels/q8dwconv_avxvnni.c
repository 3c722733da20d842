// int8 depthwise microkernels for AVX-VNNI (256-bit VEX vpdpbusd, on CPUs with VNNI but without
// AVX-512); the code is in q8dwconv_avxvnni_body.h.
#if defined(__x86_64__)
#define Q8V_TARGET __attribute__((target("avx2,fma,avxvnni")))
#define Q8V_DPBUSD _mm256_dpbusd_avx_epi32
#define Q8V_NAME(op) op##__avxvnni
#include "q8dwconv_avxvnni_body.h"
#endif
