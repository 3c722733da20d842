import Foundation
import Prometheus

/// The standard `process_*` series (CPU seconds, resident memory, start time), read from
/// /proc/self at scrape time so they are as fresh as the scrape.
final class ProcessMetrics: @unchecked Sendable {
    private let cpu: Counter
    private let resident: Gauge
    private let start: Gauge
    private let lock = NSLock()
    private var cpuTicksSoFar = 0
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    private let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    init(registry: PrometheusCollectorRegistry, labels: [(String, String)]) {
        cpu = registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "process_cpu", unitName: "seconds_total",
                                             helpText: "User and system CPU time of the edgetop process."),
            labels: labels)
        resident = registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: "process_resident_memory", unitName: "bytes",
                                             helpText: "Resident memory of the edgetop process."),
            labels: labels)
        start = registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: "process_start_time", unitName: "seconds",
                                             helpText: "Start time of the edgetop process since the Unix epoch."),
            labels: labels)
        start.set(to: Date().timeIntervalSince1970 - ProcessInfo.processInfo.systemUptime + bootRelativeStart())
        update()
    }

    /// Reads /proc/self/stat; a value that cannot be read is left as it was.
    func update() {
        guard let fields = ProcessMetrics.statFields() else { return }
        lock.lock(); defer { lock.unlock() }
        if let utime = Int(fields[11]), let stime = Int(fields[12]) {
            let ticks = utime + stime
            if ticks > cpuTicksSoFar {
                cpu.increment(by: Double(ticks - cpuTicksSoFar) / ticksPerSecond)
                cpuTicksSoFar = ticks
            }
        }
        if let rss = Double(fields[21]) { resident.set(to: rss * pageSize) }
    }

    /// Seconds after boot at which this process started (field 22 of /proc/self/stat).
    private func bootRelativeStart() -> Double {
        guard let fields = ProcessMetrics.statFields(), let ticks = Double(fields[19]) else { return 0 }
        return ticks / ticksPerSecond
    }

    /// The fields after the command name of /proc/self/stat (field 3 onwards, 0-based here).
    private static func statFields() -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 21 ? fields : nil
    }
}
