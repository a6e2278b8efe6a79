#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal while a lesson has the screen: raw mode (no echo, no line buffering, Ctrl-C as
/// a key), the alternate screen and a hidden cursor; everything is restored by `leave()`, by
/// SIGINT/SIGTERM/SIGHUP, and by `atexit` on any other way out.
enum Terminal {
    nonisolated(unsafe) private static var saved: termios?
    nonisolated(unsafe) private static var active = false

    static let enterSequence = "\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J"
    static let leaveSequence = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"

    /// Whether both stdin and stdout are terminals (the interactive stepper needs both).
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Takes the screen. Returns false (and changes nothing) if stdin is not a terminal.
    static func enter() -> Bool {
        var attributes = termios()
        guard tcgetattr(STDIN_FILENO, &attributes) == 0 else { return false }
        saved = attributes
        var raw = attributes
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0 else { return false }
        active = true
        for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            signal(signalNumber) { number in
                Terminal.restore()
                signal(number, SIG_DFL)
                raise(number)
            }
        }
        atexit { Terminal.restore() }
        write(enterSequence)
        return true
    }

    /// Gives the screen back; safe to call more than once and from a signal handler.
    static func leave() {
        restore()
        for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { signal(signalNumber, SIG_DFL) }
    }

    private static func restore() {
        guard active else { return }
        active = false
        write(leaveSequence)
        if var attributes = saved { tcsetattr(STDIN_FILENO, TCSAFLUSH, &attributes) }
    }

    static func write(_ text: String) {
        FileDescriptorSink.write(text, to: STDOUT_FILENO)
    }

    /// Columns and rows, or 80×24 when the terminal does not say.
    static func size() -> (width: Int, height: Int) {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 {
            return (Int(size.ws_col), Int(size.ws_row))
        }
        return (80, 24)
    }

    /// Draws whole lines from the top-left corner, clearing what is left of each line and below.
    static func draw(_ lines: [String]) {
        write("\u{1B}[H" + lines.joined(separator: "\u{1B}[K\r\n") + "\u{1B}[K\u{1B}[J")
    }

    enum Key: Equatable {
        case next, back, up, down, character(Character), enter, backspace, interrupt, timeout, endOfInput
    }

    /// Waits for a key, at most `timeout` milliseconds (nil: forever).
    static func readKey(timeout: Int32?) -> Key {
        guard let byte = readByte(timeout: timeout ?? -1) else { return timeout == nil ? .endOfInput : .timeout }
        switch byte {
        case 0x1B:
            guard let second = readByte(timeout: 30) else { return .character("\u{1B}") }
            guard second == UInt8(ascii: "[") || second == UInt8(ascii: "O"), let third = readByte(timeout: 30) else {
                return .character("\u{1B}")
            }
            switch third {
            case UInt8(ascii: "C"): return .next
            case UInt8(ascii: "D"): return .back
            case UInt8(ascii: "A"): return .up
            case UInt8(ascii: "B"): return .down
            default:
                // Swallow the rest of a longer sequence (e.g. `ESC [ 5 ~`).
                var last = third
                while !(0x40...0x7E).contains(last), let more = readByte(timeout: 30) { last = more }
                return .character("\u{1B}")
            }
        case 0x03: return .interrupt
        case 0x04: return .endOfInput
        case 0x0D, 0x0A: return .enter
        case 0x7F, 0x08: return .backspace
        case 0x20: return .next
        default:
            return .character(Character(Unicode.Scalar(byte)))
        }
    }

    /// One byte from stdin, or nil on timeout (or end of input).
    private static func readByte(timeout: Int32) -> UInt8? {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, timeout)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return nil }
            break
        }
        var byte: UInt8 = 0
        while true {
            #if canImport(Glibc)
            let count = Glibc.read(STDIN_FILENO, &byte, 1)
            #else
            let count = Darwin.read(STDIN_FILENO, &byte, 1)
            #endif
            if count < 0 && errno == EINTR { continue }
            return count == 1 ? byte : nil
        }
    }
}
