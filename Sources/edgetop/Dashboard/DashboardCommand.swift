import ArgumentParser

/// `edgetop [dashboard]`: the dashboard, live over the inference loop or over `--replay FILE`.
struct Dashboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Watch FPS, latency, temperature and core load live, or a recorded session with --replay FILE."
    )

    @OptionGroup(title: "Dashboard")
    var dashboard: DashboardOptions

    @OptionGroup(title: "Live session (without --replay)")
    var live: LiveOptions

    @OptionGroup(title: "Metrics and following an app")
    var feed: MetricsOptions

    func validate() throws {
        // A replay's seeks go back in time; counters that went back would lie to a scraper.
        if dashboard.replay != nil, feed.metrics != nil || feed.follow != nil {
            throw ValidationError("--metrics and --follow watch a live session; they cannot be used with --replay")
        }
    }

    mutating func run() throws {
        try dashboard.run(live: live, feed: feed)
    }
}
