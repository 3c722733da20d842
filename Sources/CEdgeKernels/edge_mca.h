// Region markers for llvm-mca (scripts/mca-aarch64.py): compiled to nothing unless EDGE_MCA is
// defined, so the kernels the package builds carry no trace of them.
#ifndef EDGETOP_EDGE_MCA_H
#define EDGETOP_EDGE_MCA_H
#if defined(EDGE_MCA)
#define EDGE_MCA_BEGIN(name) __asm__ volatile("// LLVM-MCA-BEGIN " name)
#define EDGE_MCA_END(name) __asm__ volatile("// LLVM-MCA-END " name)
// The same markers as lines of a hand-scheduled asm loop: from its label to its branch back.
#define EDGE_MCA_ASM_BEGIN(name) "// LLVM-MCA-BEGIN " name "\n\t"
#define EDGE_MCA_ASM_END(name) "// LLVM-MCA-END " name "\n\t"
#else
#define EDGE_MCA_BEGIN(name)
#define EDGE_MCA_END(name)
#define EDGE_MCA_ASM_BEGIN(name) ""
#define EDGE_MCA_ASM_END(name) ""
#endif
#endif
