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

    mutating func run() throws {
        try dashboard.run(live: live)
    }
}
