import EdgeTrace

extension ReplaySource {
    /// A replay of everything `reader` yields (an edgetop trace or an imported log).
    ///
    /// The events are read up front: seeking backwards refolds from the start, which needs
    /// them at hand. Bad data throws the reader's error (file, line, problem) before any
    /// screen opens.
    public convenience init(reading reader: EventSource, speed: Double = 1, paused: Bool = false,
                            clock: @escaping Clock = MonotonicClock.seconds) throws {
        var events: [Event] = []
        while let event = try reader.next() { events.append(event) }
        self.init(header: reader.header, events: events, speed: speed, paused: paused, clock: clock)
    }
}
