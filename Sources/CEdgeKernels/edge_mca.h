// Region markers for llvm-mca (scripts/mca-aarch64.sh): compiled to nothing unless EDGE_MCA is
// defined, so the kernels the package builds carry no trace of them.
#ifndef EDGETOP_EDGE_MCA_H
#define EDGETOP_EDGE_MCA_H
#if defined(EDGE_MCA)
#define EDGE_MCA_BEGIN(name) __asm__ volatile("// LLVM-MCA-BEGIN " name)
#define EDGE_MCA_END(name) __asm__ volatile("// LLVM-MCA-END " name)
#else
#define EDGE_MCA_BEGIN(name)
#define EDGE_MCA_END(name)
#endif
#endif
