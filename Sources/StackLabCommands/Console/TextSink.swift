#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a console's text goes: a file descriptor for the real process, a string in tests.
public protocol TextSink: AnyObject {
    func write(_ text: String)
}

/// Writes straight to a file descriptor, unbuffered, retrying short writes and EINTR.
public final class FileDescriptorSink: TextSink {
    public let fileDescriptor: Int32

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    public func write(_ text: String) {
        Self.write(text, to: fileDescriptor)
    }

    /// Writes all of `text` to `fileDescriptor`, retrying short writes and EINTR; allocates nothing
    /// for contiguous strings, so the terminal can use it when restoring the screen on a signal.
    static func write(_ text: String, to fileDescriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            guard var base = buffer.baseAddress else { return }
            var remaining = buffer.count
            while remaining > 0 {
                #if canImport(Glibc)
                let written = Glibc.write(fileDescriptor, base, remaining)
                #else
                let written = Darwin.write(fileDescriptor, base, remaining)
                #endif
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // EPIPE and friends: nobody is reading; drop the output.
                }
                base += written
                remaining -= written
            }
        }
    }

    /// Whether the descriptor is a terminal (`isatty(3)`).
    public var isTerminal: Bool {
        isatty(fileDescriptor) == 1
    }
}

/// Collects everything written, for tests.
public final class StringSink: TextSink {
    public private(set) var text = ""

    public init() {}

    public func write(_ text: String) {
        self.text += text
    }
}
