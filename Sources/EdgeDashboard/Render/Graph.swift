import Foundation

/// Area graphs and bar charts drawn with braille dots (2×4 per cell), block eighths, or
/// ASCII, bottom-up, coloured by height along a gradient.
public enum Graph {
    /// Points a graph of `width` cells takes: two per cell with braille, else one.
    public static func pointsPerCell(_ symbols: Symbols) -> Int { symbols.braille ? 2 : 1 }

    /// The last `span` seconds of `series` (oldest first, one point per second) stretched or
    /// squeezed to `count` points; seconds before the series began are NaN (drawn empty).
    public static func resample(_ series: [Double], span: Int, count: Int) -> [Double] {
        guard count > 0, span > 0 else { return [] }
        var out = [Double](repeating: .nan, count: count)
        let offset = series.count - span // index in series of the window's first second
        for j in 0..<count {
            let i = offset + (j * span) / count
            if i >= 0 && i < series.count { out[j] = series[i] }
        }
        return out
    }

    /// Draws `values` (NaN = nothing) as a filled area in `area`, scaled so `maxValue` fills
    /// the height. `style` gives the style of a cell from its height fraction (0 bottom, 1 top).
    public static func area(_ values: [Double], maxValue: Double, in area: Rect, into buf: inout Buffer,
                            symbols: Symbols, style: (Double) -> Style) {
        guard !area.isEmpty, maxValue > 0, maxValue.isFinite else { return }
        let rows = area.height
        if symbols.braille {
            let dotsTall = rows * 4
            func dots(_ i: Int) -> Int {
                guard i < values.count, values[i].isFinite, values[i] > 0 else { return 0 }
                let d = Int((min(1, values[i] / maxValue) * Double(dotsTall)).rounded())
                return max(1, min(dotsTall, d))
            }
            let leftBits: [UInt32] = [0x40, 0x04, 0x02, 0x01]
            let rightBits: [UInt32] = [0x80, 0x20, 0x10, 0x08]
            for cx in 0..<area.width {
                let hl = dots(cx * 2), hr = dots(cx * 2 + 1)
                if hl == 0 && hr == 0 { continue }
                for r in 0..<rows {
                    let nl = max(0, min(4, hl - r * 4)), nr = max(0, min(4, hr - r * 4))
                    if nl == 0 && nr == 0 { break }
                    var code: UInt32 = 0x2800
                    for k in 0..<nl { code |= leftBits[k] }
                    for k in 0..<nr { code |= rightBits[k] }
                    let y = area.bottom - 1 - r
                    buf[area.x + cx, y] = Cell(Character(Unicode.Scalar(code)!), style: style(Double(r) / Double(max(1, rows - 1))))
                }
            }
        } else {
            bars(values, maxValue: maxValue, in: area, into: &buf, symbols: symbols, style: style)
        }
    }

    /// Draws one bar per cell column from `values` (NaN or 0 = no bar) with eighth-cell tops.
    public static func bars(_ values: [Double], maxValue: Double, in area: Rect, into buf: inout Buffer,
                            symbols: Symbols, style: (Double) -> Style) {
        guard !area.isEmpty, maxValue > 0, maxValue.isFinite else { return }
        let rows = area.height, eighthsTall = rows * 8
        for cx in 0..<min(area.width, values.count) {
            let v = values[cx]
            guard v.isFinite, v > 0 else { continue }
            let h = max(1, min(eighthsTall, Int((min(1, v / maxValue) * Double(eighthsTall)).rounded())))
            for r in 0..<rows {
                let n = max(0, min(8, h - r * 8))
                if n == 0 { break }
                buf[area.x + cx, area.bottom - 1 - r] = Cell(symbols.eighths[n], style: style(Double(r) / Double(max(1, rows - 1))))
            }
        }
    }

    /// A rounded-up scale top for values up to `v`: 1, 2, 2.5 or 5 times a power of ten.
    public static func niceCeiling(_ v: Double) -> Double {
        guard v.isFinite, v > 0 else { return 1 }
        let p = pow10(floor(log10(v)))
        for m in [1.0, 2.0, 2.5, 5.0, 10.0] where m * p >= v * 0.999_999 { return m * p }
        return 10 * p
    }

    private static func pow10(_ e: Double) -> Double {
        var r = 1.0
        if e >= 0 { for _ in 0..<Int(e) { r *= 10 } } else { for _ in 0..<Int(-e) { r /= 10 } }
        return r
    }
}
