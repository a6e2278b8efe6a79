import Foundation
import Testing

/// Runs a test, or a whole suite, holding the process's loopback lock, so that tests which use
/// real loopback sockets never overlap: they count the process's descriptors and sockets, and
/// every suite runs in this one test process. The lock is `flock(2)` on a file (each acquisition
/// opens it afresh, so two holders in one process exclude each other). It is polled, never awaited
/// blocking, so a waiting test holds no thread.
public struct LoopbackLock: SuiteTrait, TestTrait, TestScoping {
    static let path = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-loopback-tests.lock").path

    public init() {}

    public var isRecursive: Bool { false }

    public func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        let descriptor = open(Self.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            try await function()
            return
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        defer { flock(descriptor, LOCK_UN) }
        try await function()
    }
}

extension Trait where Self == LoopbackLock {
    /// Holds the process's loopback lock while the test or suite runs.
    public static var loopbackLock: Self { Self() }
}
