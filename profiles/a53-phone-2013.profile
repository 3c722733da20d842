# A budget phone built on Qualcomm's Snapdragon 410 (MSM8916, announced December 2013):
# four Cortex-A53 cores in one cluster, 28 nm LP. Phones of this class (Moto E 2nd gen,
# Galaxy J5, Redmi 2) are still the low end that an on-device model has to run on.
#
# Format: `key = value`, `#` starts a comment, lists are comma-separated (docs/emulation.md).

name = MSM8916-class phone (4x Cortex-A53 @ 1.2 GHz)

# Source: Qualcomm Snapdragon 410 product brief (4x Cortex-A53, up to 1.2 GHz).
cores = 4

# Source: the CPU operating points of MSM8916 in the Linux device tree
# (arch/arm64/boot/dts/qcom/msm8916.dtsi and its cpufreq patches): 200 MHz to 1.2096 GHz.
freq_steps_mhz = 200, 400, 533.33, 800, 998.4, 1094.4, 1152, 1209.6

# Estimates, not measurements: a Cortex-A53 on 28 nm LP draws a few hundred milliwatts at
# its top clock; uncore and leakage a quarter of a watt. Chosen so that four busy cores at
# the top clock (1.65 W) would settle far above the 75 °C trip, as phones of this class
# throttle under a sustained all-core load, while two busy cores (0.95 W) stay below it.
static_power_w = 0.25
core_power_w = 0.35
# Dynamic power is C·V²·f. The MSM8916 operating points proposed for Linux run 998.4 to
# 1209.6 MHz at one voltage (1.35 V) and 200 to 800 MHz at another (1.15 V), so power falls
# more slowly than f³ when the clock steps down: 1.5 is an estimate between f and f³.
power_exponent = 1.5

# Room temperature.
ambient_c = 25

# Estimates for a one-node model of die + package + board + case: 50 °C/W puts the all-core
# steady state at 107 °C (two cores: 72.5 °C); R·C = 40 s makes four busy cores reach the
# trip after about 37 s, the order of the first minute after which a budget phone throttles.
thermal_resistance_c_per_w = 50
thermal_capacity_j_per_c = 0.8

# Source: msm8916.dtsi thermal zones cpu0-1-thermal / cpu2-3-thermal: a passive trip at
# 75 °C (hysteresis 2 °C) and a critical trip at 110 °C, polled every 250 ms
# (polling-delay-passive) while passive.
trip_passive_c = 75
trip_critical_c = 110
hysteresis_c = 2
governor_interval_s = 0.25

# Compute model: sustained rates of ONE core at the top clock (1.2096 GHz), per operator kind,
# in GMAC/s (10^9 multiply-accumulates per second) or, for pools and sums, GB/s read and
# written. The emulated latency of an inference is the sum over its layers of work / rate,
# divided by the cores' combined speedup, stretched by maxMHz / cap when throttled.
#
# Calibration source: XNNPACK's published end-to-end figures for a Raspberry Pi 3+
# (BCM2837B0, 4x Cortex-A53 at 1.4 GHz, four threads), XNNPACK README, "Performance":
# MobileNet v1 1.0@224 in 46 ms int8 and 114 ms fp32. The same cores at 1.2096 GHz do the
# same work per clock, so the targets here are 46 x 1.4 / 1.2096 = 53.2 ms (int8) and
# 114 x 1.4 / 1.2096 = 131.9 ms (fp32). With the rates below the compute model gives 53.3 ms
# and 131.5 ms (docs/emulation.md shows the sums).
#
# Depthwise rates: llvm-mca's Cortex-A53 model of edgetop's NEON depthwise kernels as they
# were when this profile was calibrated: 0.59 MAC/cycle int8, 0.38 fp32, times 1.2096 GHz.
# (The kernels have since been rescheduled; docs/arm.md estimates them higher. The profile
# keeps these rates: it emulates a phone running at XNNPACK's published speed, and a faster
# estimate for 3 % of the MACs would only move time between kinds, not the calibrated total.) 1x1 rates: what is left
# of the calibration target once the other kinds are paid for, 2.68 MAC/cycle int8 (94 % of
# the same model's 2.86 for the int8 GEMM) and 1.03 fp32 (71 % of its 1.44; fp32 moves four
# times the bytes). Other convolutions (the 3-channel stem, 3x3 dense: packing and edges)
# and batch-1 fully connected layers (each weight streamed once, bound by memory) are
# estimates; they are 3 % of MobileNet v1's time.
int8_conv1x1_gmacs = 3.24
int8_depthwise_gmacs = 0.71
int8_conv_gmacs = 2.24
int8_fc_gmacs = 0.8
# Estimate: one A53 streams about 1.5 GB/s through LPDDR3 in a simple elementwise loop.
int8_elementwise_gbps = 1.5
fp32_conv1x1_gmacs = 1.24
fp32_depthwise_gmacs = 0.46
fp32_conv_gmacs = 0.95
fp32_fc_gmacs = 0.5
fp32_elementwise_gbps = 1.5
# Estimate: each core beyond the first adds 90 % of one (four cores: 3.7x), the four A53s
# sharing one 512 KB L2 and one memory bus. The calibration above is at four threads.
parallel_efficiency = 0.9
