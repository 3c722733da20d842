import EdgeDashboard
import EdgeTrace
import FuzzSupport

/// The dashboard itself, fed a session file and keys: byte 0 picks the width, byte 1 the
/// height, byte 2 how many of the next bytes are keys; the rest is the session (a trace or
/// any log `--replay` opens). Events are folded in slices with a key and a frame after each,
/// as the replay does. Whatever the bytes, every frame has the size asked for and no cell
/// holds anything a terminal would act on.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 3 else { return 0 }
    let width = Int(data[0]) % 200 + 1, height = Int(data[1]) % 70 + 1
    let keyCount = min(Int(data[2]) % 48, size - 3)
    let keys = (0..<keyCount).map { key(data[3 + $0]) }
    let rest = data + 3 + keyCount, restSize = size - 3 - keyCount
    var events: [Event] = []
    var header = TraceHeader(device: DeviceInfo(cpuModel: "fuzz", cores: 1, os: "", kernel: "", hasThermalSensors: false),
                             source: .recorded, model: nil, startTime: "")
    do {
        let source = try SessionFile.open(FuzzInput.file(rest, restSize, name: "session.jsonl"))
        header = source.header
        while events.count < 5_000, let e = try source.next() { events.append(e) }
    } catch let e as TraceError {
        FuzzInput.requireClean(e.description)
    } catch {
        fatalError("opening a session threw something other than a TraceError: \(error)")
    }
    let length = events.last?.t ?? 0
    var state = DashboardState(header: header, mode: .replay(position: 0, length: length, speed: 1, paused: false))
    let slices = keys.count + 1
    for i in 0..<slices {
        let lo = events.count * i / slices, hi = events.count * (i + 1) / slices
        state.ingest(events[lo..<hi])
        if i < keys.count, state.handle(keys[i]) == .quit { break }
        check(DashboardScreen.render(state, width: width, height: height), width: width, height: height)
    }
    return 0
}

/// A key from one byte: printable ASCII as itself, the rest spread over the special keys.
func key(_ b: UInt8) -> Key {
    if (0x20..<0x7F).contains(b) { return .char(Character(Unicode.Scalar(b))) }
    let special: [Key] = [.tab, .enter, .escape, .backspace, .up, .down, .left, .right, .home, .end,
                          .pageUp, .pageDown, .function(1), .function(2), .function(10)]
    return special[Int(b) % special.count]
}

/// A frame is the size asked for, and its text is free of controls and bidi overrides.
func check(_ buffer: Buffer, width: Int, height: Int) {
    precondition(buffer.width == width && buffer.height == height,
                 "frame \(buffer.width)x\(buffer.height), asked for \(width)x\(height)")
    let lines = buffer.lines()
    precondition(lines.count == height, "\(lines.count) lines in a frame of height \(height)")
    FuzzInput.requireClean(lines.joined(separator: "\n"))
}

/// The entry point SwiftPM links as `main`.
@_cdecl("FuzzDashboard_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.main(argc, argv, fuzz)
}
