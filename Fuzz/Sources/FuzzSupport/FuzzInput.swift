import CFuzzer
import EdgeTrace
#if canImport(Glibc)
import Glibc
#endif

/// What every fuzz target does with one input: write it where a parser reads files, run the
/// parser, and check the invariants that must hold whatever the bytes were. A broken
/// invariant traps, which libFuzzer reports as a crash with the input saved.
public enum FuzzInput {
    /// Runs libFuzzer on `test` with the command line's options; the targets' entry point.
    public static func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                            _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
        var count = argc
        var args = argv
        return LLVMFuzzerRunDriver(&count, &args, test)
    }

    /// One scratch folder per process, in memory where the system offers it.
    static let folder: String = {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        let dir = "\(base)/edgetop-fuzz-\(getpid())"
        mkdir(dir, 0o700)
        return dir
    }()

    /// Writes `size` bytes at `data` to a scratch file named `name` and returns its path.
    public static func file(_ data: UnsafePointer<UInt8>, _ size: Int, name: String) -> String {
        let path = folder + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot create \(path)")
        var done = 0
        while done < size {
            let n = write(fd, data + done, size - done)
            precondition(n > 0, "cannot write \(path)")
            done += n
        }
        close(fd)
        return path
    }

    /// The input as text, the way the theme and profile loaders see a file (invalid UTF-8
    /// repaired rather than refused, to reach the parser with more inputs).
    public static func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    }

    /// Imports the input as `format` (nil: detected from content) and checks the result.
    public static func importLog(_ data: UnsafePointer<UInt8>, _ size: Int, name: String, format: LogFormat?) {
        let path = file(data, size, name: name)
        do {
            let log = try Importer.load(path: path, format: format)
            for w in log.warnings { requireClean(w) }
            checkRoundTrip(Importer.merge([log]))
        } catch let e as TraceError {
            requireClean(e.description)
        } catch {
            fatalError("an importer threw something other than a TraceError: \(error)")
        }
    }

    /// Opens the input as `stats` and `--replay` do (trace or any log) and checks the result.
    public static func openSession(_ data: UnsafePointer<UInt8>, _ size: Int, name: String) {
        let path = file(data, size, name: name)
        do {
            let source = try SessionFile.open(path)
            checkRoundTrip(source)
        } catch let e as TraceError {
            requireClean(e.description)
        } catch {
            fatalError("opening a session threw something other than a TraceError: \(error)")
        }
    }

    /// What was read, written as an edgetop trace, must read back to the same header and
    /// events (so `import` never writes a trace `stats` rejects), and its summary must be
    /// ordered: min ≤ p50 ≤ … ≤ p99.9 ≤ max for every backend.
    static func checkRoundTrip(_ source: EventSource) {
        var events: [Event] = []
        var builder = SummaryBuilder()
        do {
            while let e = try source.next() { events.append(e); builder.add(e) }
        } catch let e as TraceError {
            requireClean(e.description)
            return
        } catch {
            fatalError("reading threw something other than a TraceError: \(error)")
        }
        for w in source.warnings { requireClean(w) }
        let summary = builder.finish(file: "fuzz", header: source.header)
        for (name, s) in summary.backends {
            var last = s.minNs
            for p in s.percentilesNs {
                precondition(p >= last, "backend \(name): percentiles out of order: \(s.percentilesNs), min \(s.minNs)")
                last = p
            }
            precondition(s.maxNs >= last, "backend \(name): max \(s.maxNs) below p99.9 \(last)")
        }
        requireClean(summary.text())

        let out = folder + "/roundtrip.jsonl"
        do {
            let writer = try TraceWriter(path: out, header: source.header)
            for e in events { try writer.write(e) }
            try writer.close()
            let back = try TraceReader(path: out)
            precondition(back.header == source.header, "the header changed on the way through a trace file:\n\(source.header)\n\(back.header)")
            var i = 0
            while let e = try back.next() {
                precondition(i < events.count && e == events[i], "event \(i) changed on the way through a trace file: \(i < events.count ? "\(events[i])" : "none") -> \(e)")
                i += 1
            }
            precondition(i == events.count, "\(events.count) events written, \(i) read back")
            precondition(back.warnings.isEmpty, "a freshly written trace reads with warnings: \(back.warnings)")
        } catch {
            fatalError("what was read cannot be written and read back as a trace: \(error)")
        }
    }

    /// Traps if `text` holds anything a terminal would act on.
    public static func requireClean(_ text: String) {
        for s in text.unicodeScalars {
            let v = s.value
            let bad = (v < 0x20 && v != 0x0A) || (0x7F...0x9F).contains(v)
                || (0x2028...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            precondition(!bad, "a message would print U+\(String(v, radix: 16)): \(text.debugDescription)")
        }
    }
}
