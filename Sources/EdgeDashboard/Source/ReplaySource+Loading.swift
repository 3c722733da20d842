import EdgeTrace

extension ReplaySource {
    /// A replay of everything `reader` yields (an edgetop trace or an imported log).
    ///
    /// The events are read up front: seeking backwards refolds from the start, which needs
    /// them at hand, up to `InputLimits.maxHeldEvents`: a longer trace is refused with a
    /// message naming the limit rather than taking the machine's memory. Bad data throws the
    /// reader's error (file, line, problem) before any screen opens.
    public convenience init(reading reader: EventSource, speed: Double = 1, paused: Bool = false,
                            clock: @escaping Clock = MonotonicClock.seconds,
                            maxEvents: Int = InputLimits.maxHeldEvents) throws {
        var events: [Event] = []
        while let event = try reader.next() {
            events.append(event)
            if events.count > maxEvents {
                throw TraceError(file: (reader as? TraceReader)?.path ?? "the trace", line: (reader as? TraceReader)?.lineNumber,
                                 problem: "more than \(maxEvents) events: replay holds them all in memory "
                                        + "and stops at this limit ('edgetop stats' reads a trace of any length)")
            }
        }
        self.init(header: reader.header, events: events, speed: speed, paused: paused, clock: clock)
    }
}
