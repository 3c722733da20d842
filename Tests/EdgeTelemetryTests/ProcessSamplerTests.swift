import Foundation
import XCTest
import EdgeTrace
@testable import EdgeTelemetry

/// The busiest processes from /proc/[pid]/stat on a fixture tree: shares against the
/// /proc/stat ticks, edgetop's own threads marked, and processes that appear, disappear,
/// reuse a pid, cannot be read or are kernel threads.
final class ProcessSamplerTests: XCTestCase {
    private func twoSamples(top: Int = 8) throws -> (ProcessSampler, ProcessSample, FixtureTree) {
        let tree = try FixtureTree("processes")
        addTeardownBlock { tree.remove() }
        let sampler = ProcessSampler(root: tree.root, ownPid: 1000, top: top)
        XCTAssertNil(sampler.sample(t: 0), "the first call only sets the baseline")
        try tree.advance()
        try FileManager.default.removeItem(at: tree.url.appendingPathComponent("proc/200"))
        return (sampler, try XCTUnwrap(sampler.sample(t: 2)), tree)
    }

    func testSharesOfOneCoreOverTheTickInterval() throws {
        let (_, s, _) = try twoSamples(top: 20)
        XCTAssertEqual(s.t, 2)
        XCTAssertEqual(s.interval, 2, accuracy: 1e-12, "200 ticks per core at USER_HZ 100")
        let byPid = Dictionary(uniqueKeysWithValues: s.processes.map { ($0.pid, $0) })
        // cc1plus: 350 ticks over 200 per core.
        let cc = try XCTUnwrap(byPid[100])
        XCTAssertEqual(cc.name, "cc1plus")
        XCTAssertEqual(cc.cpu, 1.75, accuracy: 1e-12)
        XCTAssertEqual(cc.kind, .process)
        XCTAssertEqual(cc.rssBytes, 196_608 * UInt64(sysconf(Int32(_SC_PAGESIZE))))
        XCTAssertEqual(try XCTUnwrap(byPid[1]).cpu, 0.01, accuracy: 1e-12)
        XCTAssertEqual(s.processes.first?.pid, 100, "busiest first")
    }

    func testOwnThreadsAreListedOneByOneAndMarked() throws {
        let (_, s, _) = try twoSamples(top: 20)
        let own = s.processes.filter { $0.kind == .ownThread }
        XCTAssertEqual(own.map(\.name), ["edgetop-infer", "edgetop-worker", "edgetop"])
        XCTAssertEqual(own.map(\.pid), [1001, 1002, 1000])
        XCTAssertEqual(own[0].cpu, 0.30, accuracy: 1e-12)
        XCTAssertFalse(s.processes.contains { $0.pid == 1000 && $0.kind == .process },
                       "the process itself is replaced by its threads")
    }

    func testAppearingDisappearingAndReusedPidsHaveNoMadeUpShare() throws {
        let (_, s, _) = try twoSamples(top: 20)
        let pids = Set(s.processes.map(\.pid))
        XCTAssertFalse(pids.contains(200), "exited: gone")
        XCTAssertFalse(pids.contains(300), "new since the previous sample: no interval yet")
        XCTAssertFalse(pids.contains(400), "pid reused by a new process: its old ticks are not its own")
    }

    func testKernelThreadsAreMarked() throws {
        let (_, s, _) = try twoSamples(top: 20)
        let kworker = try XCTUnwrap(s.processes.first { $0.pid == 35 })
        XCTAssertEqual(kworker.kind, .kernelThread)
        XCTAssertEqual(kworker.name, "kworker/1:2-events")
        XCTAssertEqual(kworker.cpu, 0.03, accuracy: 1e-12)
        XCTAssertEqual(s.processes.first { $0.pid == 2 }?.kind, .kernelThread)
    }

    func testUnreadableEntriesAreReportedAndSkipped() throws {
        let (sampler, s, _) = try twoSamples(top: 20)
        XCTAssertFalse(s.processes.contains { $0.pid == 500 || $0.pid == 600 })
        XCTAssertEqual(sampler.problems.entries.map(\.description),
                       ["/proc/500/stat: no (name) field (×2)"], "a vanished process (600) is not a problem")
    }

    func testNamesCannotReachTheTerminalRaw() throws {
        let (_, s, _) = try twoSamples(top: 20)
        let evil = try XCTUnwrap(s.processes.first { $0.pid == 700 })
        XCTAssertEqual(evil.name, "evil) (x?[2J", "parentheses inside the name are kept, the escape is not")
        XCTAssertEqual(evil.cpu, 0.1, accuracy: 1e-12)
    }

    func testTopNKeepsTheBusiestAndEdgetopsBusyThreads() throws {
        let (_, s, _) = try twoSamples(top: 2)
        XCTAssertEqual(s.processes.map(\.pid), [100, 1001, 1002], "top 2, then edgetop's busy worker")
    }

    func testStatLineParsing() {
        let line = "42 (a b) R 1 42 42 0 -1 4194560 1 0 0 0 7 3 0 0 20 0 1 0 99 1000 55 18446744073709551615"
        XCTAssertEqual(TaskStat.parse(line), TaskStat(pid: 42, name: "a b", cpuTicks: 10, startTime: 99, rssPages: 55,
                                                      kernelThread: false))
        var why = ""
        XCTAssertNil(TaskStat.parse("42 (x) R 1 2 3", problem: { why = $0 }))
        XCTAssertEqual(why, "6 fields, expected at least 24")
        XCTAssertNil(TaskStat.parse("x (y) R 1 42 42 0 -1 4194560 1 0 0 0 7 3 0 0 20 0 1 0 99 1000 55 0", problem: { why = $0 }))
        XCTAssertEqual(why, "the pid is not a positive number")
        XCTAssertNil(TaskStat.parse("42 (y) R 1 42 42 0 -1 flags 1 0 0 0 7 3 0 0 20 0 1 0 99 1000 55 0", problem: { why = $0 }))
        XCTAssertEqual(why, "flags, utime, stime, starttime or rss is not a number")
    }
}
