import Foundation

/// The fields edgetop reads from one /proc/[pid]/stat (or /proc/[pid]/task/[tid]/stat) line.
public struct TaskStat: Sendable, Equatable {
    public var pid: Int
    /// The command name between the parentheses, cleaned for the terminal.
    public var name: String
    /// User plus system CPU time, in USER_HZ ticks.
    public var cpuTicks: UInt64
    /// Start time after boot, in ticks: with the pid it identifies one process, so a pid
    /// reused by a new process is not mistaken for the old one.
    public var startTime: UInt64
    /// Resident set size in pages.
    public var rssPages: UInt64
    /// True for a kernel thread (PF_KTHREAD in the flags).
    public var kernelThread: Bool

    /// The kernel's PF_KTHREAD flag.
    static let kthreadFlag: UInt64 = 0x0020_0000

    /// Parses one stat line; nil (with `problem` told why) when it is not one. The name may
    /// hold spaces and parentheses, so the fields are counted from the last ')'.
    public static func parse(_ text: String, problem: (String) -> Void = { _ in }) -> TaskStat? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close else {
            problem("no (name) field"); return nil
        }
        guard let pid = Int(text[..<open].trimmingCharacters(in: .whitespaces)), pid > 0 else {
            problem("the pid is not a positive number"); return nil
        }
        let rest = text[text.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
        // rest[0] is field 3 (state): field n is rest[n - 3].
        guard rest.count >= 22 else { problem("\(rest.count + 2) fields, expected at least 24"); return nil }
        func number(_ field: Int) -> UInt64? { UInt64(rest[field - 3]) }
        guard let flags = number(9), let utime = number(14), let stime = number(15),
              let start = number(22), let rss = Int64(rest[24 - 3]) else {
            problem("flags, utime, stime, starttime or rss is not a number"); return nil
        }
        let name = SysText.cleanName(String(text[text.index(after: open)..<close]), maxLength: 32)
        return TaskStat(pid: pid, name: name, cpuTicks: utime &+ stime, startTime: start,
                        rssPages: UInt64(max(0, rss)), kernelThread: flags & kthreadFlag != 0)
    }
}
