/// Places an app's timestamps on the session clock.
///
/// The first line anchors the app's clock to the session time it arrived at; later lines
/// keep the app's own spacing (so FPS and gaps are the app's, not the pipe's buffering).
/// When the app's clock runs ahead of the session, or falls more than `maxLag` behind (a
/// restart, a clock jump, lines written long before they were read), it is anchored again.
public struct FollowClock: Sendable {
    private var anchor: (app: Double, session: Double)?
    private var last = -Double.infinity
    /// Seconds the app's timestamps may trail the session before re-anchoring.
    public var maxLag: Double

    /// A clock not yet anchored.
    public init(maxLag: Double = 2) { self.maxLag = maxLag }

    /// Session time for an app timestamp `app` read at session time `now`; never decreases.
    public mutating func sessionTime(app: Double, now: Double) -> Double {
        var t: Double
        if let a = anchor {
            t = a.session + (app - a.app)
            if t > now || t < now - maxLag { anchor = (app, now); t = now }
        } else {
            anchor = (app, now); t = now
        }
        t = max(t, last)
        last = t
        return t
    }
}
