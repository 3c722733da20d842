/// A key press, decoded by the terminal layer, independent of ncurses.
public enum Key: Sendable, Hashable {
    case char(Character)
    case tab
    case enter
    case escape
    case backspace
    case up, down, left, right
    case home, end, pageUp, pageDown
    case ctrlC
    case function(Int)
}
