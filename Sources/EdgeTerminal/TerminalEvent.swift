import CNcurses
import EdgeDashboard

/// Something the terminal reported: a key, or a new size.
public enum TerminalEvent: Sendable, Equatable {
    case key(Key)
    /// The terminal was resized; the new size is in `Terminal.size`.
    case resize
}

/// Decodes ncurses' wide `get_wch` results into `TerminalEvent`s.
public enum KeyDecoder {
    /// Decodes a function-key code (`get_wch` returned `KEY_CODE_YES`).
    public static func decode(keyCode code: Int32) -> TerminalEvent? {
        switch code {
        case edgetop_key_up(): return .key(.up)
        case edgetop_key_down(): return .key(.down)
        case edgetop_key_left(): return .key(.left)
        case edgetop_key_right(): return .key(.right)
        case edgetop_key_home(): return .key(.home)
        case edgetop_key_end(): return .key(.end)
        case edgetop_key_ppage(): return .key(.pageUp)
        case edgetop_key_npage(): return .key(.pageDown)
        case edgetop_key_backspace(): return .key(.backspace)
        case edgetop_key_enter(): return .key(.enter)
        case edgetop_key_btab(): return .key(.tab)
        case edgetop_key_resize(): return .resize
        case (edgetop_key_f0() + 1)...(edgetop_key_f0() + 63): return .key(.function(Int(code - edgetop_key_f0())))
        default: return nil
        }
    }

    /// Decodes a character (`get_wch` returned `OK`).
    public static func decode(character value: UInt32) -> TerminalEvent? {
        switch value {
        case 3: return .key(.ctrlC)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(value), !CellText.isControl(scalar) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }
}
