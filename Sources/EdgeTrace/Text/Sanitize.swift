/// Removes everything from `text` that a terminal would act on rather than print: C0
/// controls, DEL, C1 controls and whole escape sequences (CSI, OSC, DCS and two-byte ESC
/// forms), bidirectional embeddings, overrides and isolates (which reorder the text around
/// them, so a name can disguise what follows it), and the Unicode line and paragraph
/// separators (which some terminals and logs treat as a new line). Tabs become spaces so
/// columns stay aligned. Every string read from a file goes
/// through this before it can be shown, because a trace or log is untrusted input.
public func sanitize(_ text: String) -> String {
    // Fast path: most strings are plain printable text.
    if !text.unicodeScalars.contains(where: needsCleaning) { return text }
    var out = String.UnicodeScalarView()
    var it = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = nil
    func nextScalar() -> Unicode.Scalar? {
        if let p = pending { pending = nil; return p }
        return it.next()
    }
    while let s = nextScalar() {
        switch s.value {
        case 0x09:
            out.append(" ")
        case 0x1B:
            // ESC: drop the sequence it introduces.
            guard let k = it.next() else { break }
            switch k.value {
            case 0x5B: skipControlSequence(&it, &pending)          // ESC [  (CSI)
            case 0x5D, 0x50, 0x58, 0x5E, 0x5F: skipString(&it)     // OSC, DCS, SOS, PM, APC
            default:
                // Two-byte forms (ESC c, ESC 7...); intermediates 0x20-0x2F take one more byte.
                if (0x20...0x2F).contains(k.value) { _ = it.next() }
                else if k.value < 0x20 || k.value == 0x7F { pending = k }
            }
        case 0x9B:
            skipControlSequence(&it, &pending)                      // C1 CSI
        case 0x9D, 0x90, 0x98, 0x9E, 0x9F:
            skipString(&it)                                         // C1 OSC, DCS, SOS, PM, APC
        case 0x00...0x1F, 0x7F, 0x80...0x9F:
            continue
        case 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029:
            continue
        default:
            out.append(s)
        }
    }
    return String(out)
}

private func needsCleaning(_ s: Unicode.Scalar) -> Bool {
    s.value < 0x20 || (0x7F...0x9F).contains(s.value)
        || (0x2028...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
}

/// Skips CSI parameters and intermediates up to and including the final byte. A stray
/// control character ends the sequence and is handed back so it is judged on its own.
private func skipControlSequence(_ it: inout String.UnicodeScalarView.Iterator, _ pending: inout Unicode.Scalar?) {
    while let c = it.next() {
        if (0x20...0x3F).contains(c.value) { continue }
        if (0x40...0x7E).contains(c.value) { return }
        pending = c
        return
    }
}

/// Skips a string-type sequence (OSC and friends) up to BEL, ST (ESC \) or C1 ST.
private func skipString(_ it: inout String.UnicodeScalarView.Iterator) {
    while let c = it.next() {
        if c.value == 0x07 || c.value == 0x9C { return }
        if c.value == 0x1B {
            _ = it.next()   // the '\' of ST, or whatever follows: the string ends either way
            return
        }
    }
}

/// `text` cleaned as `sanitize` does, line by line, its newlines kept: for whole reports
/// (`stats`, `bench`, `import`) on their way to the terminal.
public func sanitizeLines(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { sanitize(String($0)) }.joined(separator: "\n")
}
