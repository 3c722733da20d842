# A 2020 flagship phone built on Qualcomm's Snapdragon 865 (SM8250): big.LITTLE with
# 4x Cortex-A55 @ 1.80 GHz, 3x Cortex-A77 @ 2.42 GHz and 1x Cortex-A77 @ 2.84 GHz, 7 nm.
# The workload's threads run on the big cores, so the model follows the performance
# cluster: its clock table, its power, its thermal zone.
#
# Format: `key = value`, `#` starts a comment, lists are comma-separated (docs/emulation.md).

name = SM8250-class flagship (4x A77 + 4x A55)

# Source: Qualcomm Snapdragon 865 product brief (Kryo 585: 1+3+4 cores). The workload uses
# the four big cores (three gold A77 and the prime A77).
cores = 4

# Source: cpu4_opp_table (gold cluster) of arch/arm64/boot/dts/qcom/sm8250.dtsi in Linux:
# 710.4 MHz to 2.4192 GHz.
freq_steps_mhz = 710.4, 825.6, 940.8, 1056, 1171.2, 1286.4, 1382.4, 1478.4, 1574.4, 1670.4, 1766.4, 1862.4, 1958.4, 2054.4, 2150.4, 2246.4, 2342.4, 2419.2

# Estimates, not measurements: sm8250.dtsi gives the A77's dynamic-power-coefficient as
# 379 (µW/MHz/V², Linux's energy model), about 0.8 W per core at 2.42 GHz near 0.95 V;
# real cores draw more than the energy model's dynamic part, so 1.2 W; 0.5 W for the rest
# of the SoC. Four busy big cores (5.3 W) cannot be sustained; two (2.9 W) can.
static_power_w = 0.5
core_power_w = 1.2
power_exponent = 3

# Room temperature.
ambient_c = 25

# Estimates for a one-node model: 18 °C/W puts the four-core steady state at 120 °C, far
# past the trips (two cores: 77 °C); R·C = 60 s, a flagship's larger heat spreader and
# frame taking the heat more slowly than a budget phone.
thermal_resistance_c_per_w = 18
thermal_capacity_j_per_c = 3.3333

# Source: the cpu4-top-thermal zone of Qualcomm's device trees of this generation in Linux
# (sdm845/sm8150/sm8250): passive trips at 90 °C and 95 °C (hysteresis 2 °C), critical at
# 110 °C, polled every 250 ms while passive.
trip_passive_c = 90, 95
trip_critical_c = 110
hysteresis_c = 2
governor_interval_s = 0.25

# Compute model: sustained rates of ONE big core (A77) at the top clock of this table
# (2.4192 GHz), per operator kind, in GMAC/s (10^9 multiply-accumulates per second) or, for
# pools and sums, GB/s read and written. The prime core's higher clock (2.84 GHz) is not
# modelled: the workload is taken to run on the gold cluster's clock.
#
# Calibration source: TensorFlow Lite's published CPU figures for MobileNet v1 1.0@224 int8
# on phones of this generation (four threads) are a few milliseconds; the rates below give
# 5.8 ms int8 and 20.5 ms fp32 on four cores (docs/emulation.md shows the sums). These are
# approximate targets, not one measured phone.
#
# Rates: llvm-mca's Cortex-A76 model (the A77's predecessor, same NEON width) of edgetop's
# own NEON kernels (docs/arm.md), times 2.4192 GHz: int8 dot-product GEMM 15.49 MAC/cycle,
# int8 depthwise 2.25, fp32 GEMM 3.99, fp32 depthwise 1.53. The 1x1 rates take 85 % of the
# GEMM figure (the model knows no caches); depthwise as the model says. Other convolutions
# and batch-1 fully connected layers (each weight streamed once, bound by memory) are
# estimates.
int8_conv1x1_gmacs = 32
int8_depthwise_gmacs = 5.4
int8_conv_gmacs = 22.4
int8_fc_gmacs = 8
# Estimate: one A77 streams about 8 GB/s through LPDDR5 in a simple elementwise loop.
int8_elementwise_gbps = 8
fp32_conv1x1_gmacs = 8.2
fp32_depthwise_gmacs = 3.7
fp32_conv_gmacs = 6
fp32_fc_gmacs = 3.5
fp32_elementwise_gbps = 8
# Estimate: each core beyond the first adds 85 % of one (four cores: 3.55x), the big cores
# sharing the L3 and the memory bus with the rest of the SoC.
parallel_efficiency = 0.85
