// Umbrella header of edgetop's C microkernels. Each family has its own header.
#ifndef EDGETOP_CEDGEKERNELS_H
#define EDGETOP_CEDGEKERNELS_H
#include "edge_cpu.h"
#include "edge_thread.h"
#include "f32_kernels.h"
#include "q8kernels.h"
#endif
