import CImageCodecs
import EdgeTrace

/// Why an image or a labelled image folder cannot be used: `FILE: problem` or
/// `FILE:LINE: problem`.
public struct ImageError: Error, Equatable, CustomStringConvertible {
    /// The file at fault.
    public let file: String
    /// Its line, for labels files.
    public let line: Int?
    /// What is wrong.
    public let problem: String

    /// Creates an error; the text is sanitized here.
    public init(file: String, line: Int? = nil, _ problem: String) {
        self.file = sanitize(file)
        self.line = line
        self.problem = sanitize(problem)
    }

    /// "FILE:LINE: problem".
    public var description: String { line.map { "\(file):\($0): \(problem)" } ?? "\(file): \(problem)" }
}

/// An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// width * height * 3 bytes.
    public let pixels: [UInt8]

    /// Wraps decoded pixels.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "RGBImage: \(pixels.count) bytes for \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Decodes a PNG or JPEG file (told apart by their signatures) with the system's libpng
    /// and libjpeg-turbo.
    public static func read(path: String) throws -> RGBImage {
        guard let data = FileBytes.read(path) else { throw ImageError(file: path, "cannot be read") }
        return try decode(data, file: path)
    }

    /// Decodes PNG or JPEG bytes; `file` names them in errors.
    public static func decode(_ data: [UInt8], file: String) throws -> RGBImage {
        let isPNG = data.starts(with: [0x89, 0x50, 0x4E, 0x47])
        let isJPEG = data.starts(with: [0xFF, 0xD8])
        guard isPNG || isJPEG else { throw ImageError(file: file, "neither a PNG nor a JPEG image") }
        var w: Int32 = 0, h: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let pixels: UnsafeMutablePointer<UInt8>? = data.withUnsafeBufferPointer { d in
            message.withUnsafeMutableBufferPointer { m in
                isPNG ? edge_png_decode(d.baseAddress, UInt(d.count), &w, &h, m.baseAddress, Int32(m.count))
                      : edge_jpeg_decode(d.baseAddress, UInt(d.count), &w, &h, m.baseAddress, Int32(m.count))
            }
        }
        guard let pixels, w > 0, h > 0 else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImageError(file: file, "does not decode (\(isPNG ? "PNG" : "JPEG"): \(text.isEmpty ? "corrupt" : text))")
        }
        defer { free(pixels) }
        let count = Int(w) * Int(h) * 3
        return RGBImage(width: Int(w), height: Int(h), pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }

    /// The image resized to `w` x `h` by bilinear interpolation with half-pixel centres
    /// (the convention of TFLite's RESIZE_BILINEAR with half_pixel_centers), rounded.
    public func resized(width w: Int, height h: Int) -> RGBImage {
        if w == width && h == height { return self }
        var out = [UInt8](repeating: 0, count: w * h * 3)
        let sy = Float(height) / Float(h), sx = Float(width) / Float(w)
        for y in 0..<h {
            let fy = max((Float(y) + 0.5) * sy - 0.5, 0)
            let y0 = min(Int(fy), height - 1), y1 = min(y0 + 1, height - 1), dy = fy - Float(y0)
            for x in 0..<w {
                let fx = max((Float(x) + 0.5) * sx - 0.5, 0)
                let x0 = min(Int(fx), width - 1), x1 = min(x0 + 1, width - 1), dx = fx - Float(x0)
                for c in 0..<3 {
                    let a = Float(pixels[(y0 * width + x0) * 3 + c]), b = Float(pixels[(y0 * width + x1) * 3 + c])
                    let d = Float(pixels[(y1 * width + x0) * 3 + c]), e = Float(pixels[(y1 * width + x1) * 3 + c])
                    let v = (a * (1 - dx) + b * dx) * (1 - dy) + (d * (1 - dx) + e * dx) * dy
                    out[(y * w + x) * 3 + c] = UInt8(max(0, min(255, v.rounded())))
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: out)
    }
}

/// Whole-file reads without Foundation.
enum FileBytes {
    /// The file's bytes, or nil when it cannot be read (or is over 256 MiB).
    static func read(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { out += chunk[0..<n] }
            if n < chunk.count { break }
            if out.count > 256 << 20 { return nil }
        }
        return ferror(f) == 0 ? out : nil
    }
}
