import Foundation

/// Writes a device profile that heats past its trip point within a fraction of a second of
/// inference (10 W into 0.05 J/°C), so a short run must show the emulated clock cap drop.
/// Every rate is 5 GMAC/s (GB/s): MobileNet v1 0.25@128 (13.6 M MACs) takes 2.7 ms at the
/// top clock and 11 ms at the lowest step, well above this machine's time for it.
func writeHotProfile(named name: String, in folder: URL) throws -> URL {
    let profile = folder.appendingPathComponent("hot.profile")
    try """
        name = \(name)
        cores = 1
        freq_steps_mhz = 250, 500, 1000
        static_power_w = 0
        core_power_w = 10
        ambient_c = 25
        thermal_resistance_c_per_w = 10
        thermal_capacity_j_per_c = 0.05
        trip_passive_c = 40
        governor_interval_s = 0.1
        int8_conv1x1_gmacs = 5
        int8_depthwise_gmacs = 5
        int8_conv_gmacs = 5
        int8_fc_gmacs = 5
        int8_elementwise_gbps = 5
        fp32_conv1x1_gmacs = 5
        fp32_depthwise_gmacs = 5
        fp32_conv_gmacs = 5
        fp32_fc_gmacs = 5
        fp32_elementwise_gbps = 5
        parallel_efficiency = 1
        """.write(to: profile, atomically: true, encoding: .utf8)
    return profile
}
