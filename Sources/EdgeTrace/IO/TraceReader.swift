/// Streams an edgetop trace (`.jsonl` or `.jsonl.gz`): the header is read on opening, then
/// `next()` returns one event at a time, so a multi-hour trace needs no more memory than
/// its longest line.
///
/// Bad data throws `TraceError` naming the file, line and problem. A last line cut off by
/// a crash (no newline, incomplete JSON) ends the stream with a warning instead.
public final class TraceReader: EventSource {
    /// The trace file as named by the user.
    public let path: String
    public let header: TraceHeader
    public private(set) var warnings: [String] = []
    /// Events skipped because this build does not know their type, by type name.
    public private(set) var skippedTypes: [String: Int] = [:]
    private let lines: LineReader
    /// The number of the line last read, for messages about where a reader stopped.
    public var lineNumber: Int { lines.lineNumber }
    private var lastT = -Double.infinity
    private var finished = false

    /// Opens `path` and reads its header line.
    public init(path: String) throws {
        self.path = path
        lines = try LineReader(path: path)
        let file = path
        let parsed: Result<TraceHeader, TraceError>? = try lines.withNextLine { bytes, terminated in
            do {
                let v = try JSONParser.parse(bytes)
                return .success(try TraceFormat.decodeHeader(v))
            } catch let e as JSONParseError {
                let cut = terminated ? "" : " (the line is cut off)"
                return .failure(TraceError(file: file, line: 1, problem: "header is not JSON: \(e.message) at column \(e.column)\(cut)"))
            } catch let e as FieldProblem {
                return .failure(TraceError(file: file, line: 1, problem: "header: \(e.message)"))
            }
        }
        switch parsed {
        case nil: throw TraceError(file: path, problem: "empty file: no header line")
        case .failure(let e)?: throw e
        case .success(let h)?: header = h
        }
    }

    /// The next event; nil at the end of the file (or at a cut-off last line, with a warning).
    public func next() throws -> Event? {
        while !finished {
            let file = path
            let step: Step? = try lines.withNextLine { bytes, terminated in
                if bytes.first.map({ $0 == 0x20 || $0 == 0x09 }) ?? true, bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return .blank }
                do {
                    return .decoded(try TraceFormat.decodeEvent(try JSONParser.parse(bytes)))
                } catch let e as JSONParseError {
                    if !terminated { return .cutOff }
                    return .failure("not JSON: \(e.message) at column \(e.column)")
                } catch let e as FieldProblem {
                    if !terminated { return .cutOff }
                    return .failure(e.message)
                }
            }
            let line = lines.lineNumber
            switch step {
            case nil:
                finish()
                return nil
            case .blank?:
                continue
            case .cutOff?:
                warnings.append(TraceError(file: file, line: line,
                    problem: "last line is cut off (no newline at the end, incomplete JSON); ignored it").description)
                finish()
                return nil
            case .failure(let problem)?:
                throw TraceError(file: file, line: line, problem: problem)
            case .decoded(.unknown(let type))?:
                skippedTypes[sanitize(type), default: 0] += 1
                continue
            case .decoded(.event(let event))?:
                if event.t < lastT {
                    throw TraceError(file: file, line: line,
                        problem: "time goes backwards: t=\(event.t) after t=\(lastT)")
                }
                lastT = event.t
                return event
            }
        }
        return nil
    }

    private enum Step {
        case blank, cutOff, failure(String), decoded(TraceFormat.Decoded)
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        if lines.compressedDataTruncated {
            warnings.append(TraceError(file: path, problem:
                "compressed data ends early (the file was cut off); read the \(lines.lineNumber) complete lines before the cut").description)
        }
        for (type, n) in skippedTypes.sorted(by: { $0.key < $1.key }) {
            warnings.append(TraceError(file: path, problem:
                "skipped \(n) event\(n == 1 ? "" : "s") of unknown type \"\(type)\" (written by a newer edgetop?)").description)
        }
    }
}
