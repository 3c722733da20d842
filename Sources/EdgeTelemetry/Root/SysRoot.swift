#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The directory every /proc and /sys path is resolved under: "/" on a live machine, a
/// fixture tree in tests, any copied tree with `--sysroot DIR`.
public struct SysRoot: Sendable, Equatable {
    /// Absolute or relative path of the root directory.
    public let path: String

    /// A root at `path` (default: the real filesystem).
    public init(_ path: String = "/") { self.path = path }

    /// The path of `relative` (written as an absolute path such as "/proc/stat") under this root.
    public func resolve(_ relative: String) -> String {
        let rel = relative.hasPrefix("/") ? String(relative.dropFirst()) : relative
        if path == "/" { return "/" + rel }
        return path.hasSuffix("/") ? path + rel : path + "/" + rel
    }

    /// Reads a small text file. Kernel pseudo-files report a size of 0, so this reads until
    /// end of file instead of trusting `stat`; a cap keeps a stray huge file from being slurped.
    public func read(_ relative: String, limit: Int = 1 << 20) -> FileRead {
        let full = resolve(relative)
        let fd = open(full, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let err = errno
            if err == ENOENT || err == ENOTDIR { return .missing }
            return .unreadable(String(cString: strerror(err)))
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                // Sensors that are powered down answer reads with EINVAL, ENODATA or EAGAIN.
                return .unreadable(String(cString: strerror(errno)))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return .text(String(decoding: bytes, as: UTF8.self))
    }

    /// Whether `relative` exists (file or directory).
    public func exists(_ relative: String) -> Bool {
        access(resolve(relative), F_OK) == 0
    }

    /// Entry names of directory `relative`, in natural order ("thermal_zone2" before
    /// "thermal_zone10"); empty when it is missing or unreadable.
    public func list(_ relative: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: resolve(relative))) ?? []
        return names.sorted(by: SysRoot.naturalOrder)
    }

    /// Orders names by their text with embedded numbers compared as numbers.
    public static func naturalOrder(_ a: String, _ b: String) -> Bool {
        let (pa, na) = splitTrailingNumber(a), (pb, nb) = splitTrailingNumber(b)
        if pa != pb { return pa < pb }
        switch (na, nb) {
        case let (x?, y?): return x < y
        case (nil, _?): return true
        case (_?, nil): return false
        default: return a < b
        }
    }

    private static func splitTrailingNumber(_ s: String) -> (String, Int?) {
        let digits = s.reversed().prefix(while: { $0.isASCII && $0.isNumber })
        if digits.isEmpty || digits.count > 9 { return (s, nil) }
        return (String(s.dropLast(digits.count)), Int(String(digits.reversed())))
    }
}

/// The outcome of reading one file under a `SysRoot`.
public enum FileRead: Sendable, Equatable {
    case text(String)
    case missing
    /// The file exists but reading it failed (the reason, e.g. "Invalid argument").
    case unreadable(String)

    /// The text, if the read succeeded.
    public var text: String? {
        if case .text(let s) = self { return s }
        return nil
    }
}
