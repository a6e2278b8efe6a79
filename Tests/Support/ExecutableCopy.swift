import Foundation

/// Copies an executable so that a test can run the copy while other tests in the same process
/// spawn children. The copy is written through a close-on-exec descriptor: a child forked while
/// the copy is open for writing would otherwise keep it open past its exec, and running the copy
/// would then fail with ETXTBSY ("Text file busy"). A child forked in the instant before its exec
/// still holds the descriptor briefly, so `waitUntilRunnable` retries that one error.
public enum ExecutableCopy {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func copy(_ source: String, to destination: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: source))
        let descriptor = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw Failure(description: "\(destination): open failed, errno \(errno)") }
        defer { close(descriptor) }
        var written = 0
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            while written < bytes.count {
                let count = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw Failure(description: "\(destination): write failed, errno \(errno)")
                }
                written += count
            }
        }
    }

    /// Runs `start` (which launches the copy) again while it fails with ETXTBSY, for up to 5 s.
    public static func retryingTextFileBusy<T>(_ start: () throws -> T) throws -> T {
        var attempts = 0
        while true {
            do {
                return try start()
            } catch {
                let busy = "\(error)".contains("Text file busy") || (error as NSError).code == Int(ETXTBSY)
                    || ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ETXTBSY)
                attempts += 1
                guard busy, attempts < 100 else { throw error }
                usleep(50_000)
            }
        }
    }
}
