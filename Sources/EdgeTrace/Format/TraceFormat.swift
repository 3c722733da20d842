/// The edgetop trace format: JSON Lines, a header line then one event per line. The
/// encoding and decoding live in `TraceFormat+Encode.swift` and `TraceFormat+Decode.swift`;
/// docs/trace-format.md describes the same format for people.
public enum TraceFormat {
    /// Wire names of the event types, as in `{"type":"inference",...}`.
    public enum EventType: String, CaseIterable, Sendable {
        case inference, system, config, quality, mark, layers, processes
    }
}
