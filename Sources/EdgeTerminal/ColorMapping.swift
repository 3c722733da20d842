import EdgeDashboard

/// Maps the dashboard's colours onto what a terminal of a given depth can show.
public enum ColorMapping {
    /// The six channel levels of the xterm 6×6×6 colour cube.
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// RGB of an xterm palette entry (0–15 the usual VGA-like defaults, 16–231 the cube,
    /// 232–255 the grey ramp).
    public static func rgb(ofIndex index: UInt8) -> (r: Int, g: Int, b: Int) {
        let i = Int(index)
        switch i {
        case 0..<16:
            let base: [(Int, Int, Int)] = [
                (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
                (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
            ]
            return base[i]
        case 16..<232:
            let c = i - 16
            return (cubeLevels[c / 36], cubeLevels[(c / 6) % 6], cubeLevels[c % 6])
        default:
            let v = 8 + (i - 232) * 10
            return (v, v, v)
        }
    }

    /// The nearest xterm-256 entry to an RGB colour, searching the cube and the grey ramp
    /// (not 0–15, whose RGB varies between terminals).
    public static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func nearestLevel(_ v: Int) -> Int {
            var best = 0
            for (k, level) in cubeLevels.enumerated() where abs(level - v) < abs(cubeLevels[best] - v) { best = k }
            return best
        }
        let (ri, gi, bi) = (nearestLevel(Int(r)), nearestLevel(Int(g)), nearestLevel(Int(b)))
        let cube = 16 + 36 * ri + 6 * gi + bi
        let avg = (Int(r) + Int(g) + Int(b)) / 3
        let greyStep = max(0, min(23, (avg - 8 + 5) / 10))
        let grey = 232 + greyStep
        return distance(rgb(ofIndex: UInt8(cube)), (Int(r), Int(g), Int(b)))
            <= distance(rgb(ofIndex: UInt8(grey)), (Int(r), Int(g), Int(b))) ? UInt8(cube) : UInt8(grey)
    }

    /// The nearest of the 8 basic ANSI colours to an RGB colour.
    public static func nearest8(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        // Thresholding each channel keeps hues recognisable (a dark red stays red), which a
        // plain distance to the 8 corners does not for dark colours.
        let maxC = max(Int(r), Int(g), Int(b))
        if maxC < 60 { return 0 }
        let cut = max(60, maxC / 2)
        let bits = (Int(r) >= cut ? 1 : 0) | (Int(g) >= cut ? 2 : 0) | (Int(b) >= cut ? 4 : 0)
        return UInt8(bits)
    }

    /// The ncurses colour number for `color` at `depth`: -1 for the terminal's default;
    /// for `.trueColor(direct: true)`, the packed 0xRRGGBB value a direct-colour terminfo takes.
    /// `.trueColor(direct: false)` is resolved by the palette allocator, not here.
    public static func colorNumber(_ color: Color, depth: ColorDepth) -> Int32 {
        switch (color, depth) {
        case (.default, _), (_, .none):
            return -1
        case (.indexed(let i), .basic8):
            return Int32(i < 16 ? i % 8 : { let c = rgb(ofIndex: i); return nearest8(UInt8(c.r), UInt8(c.g), UInt8(c.b)) }())
        case (.indexed(let i), .palette256), (.indexed(let i), .trueColor(direct: false)):
            return Int32(i)
        case (.indexed(let i), .trueColor(direct: true)):
            let c = rgb(ofIndex: i)
            return Int32(c.r << 16 | c.g << 8 | c.b)
        case (.rgb(let r, let g, let b), .basic8):
            return Int32(nearest8(r, g, b))
        case (.rgb(let r, let g, let b), .palette256), (.rgb(let r, let g, let b), .trueColor(direct: false)):
            return Int32(nearest256(r, g, b))
        case (.rgb(let r, let g, let b), .trueColor(direct: true)):
            return Int32(Int(r) << 16 | Int(g) << 8 | Int(b))
        }
    }

    private static func distance(_ a: (r: Int, g: Int, b: Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.r - b.0, dg = a.g - b.1, db = a.b - b.2
        // Weighted like the eye: green counts most, blue least.
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }
}
