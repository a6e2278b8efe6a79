import Glibc

/// Turns `SIGINT` and `SIGTERM` into a byte on a pipe that every running loop polls: the self-pipe
/// trick, since a signal handler may do almost nothing but `write(2)`.
///
/// Handlers are installed while at least one `LoopbackNetwork.run` is in progress: the first run
/// to register creates the pipe and installs them, saving the previous actions; the last one to
/// leave restores those actions and closes the pipe. Every loop notes the relay's signal count
/// when it registers and stops when it changes, so one signal stops every loop in the process.
final class SignalRelay: @unchecked Sendable {
    static let shared = SignalRelay()
    /// The signals relayed.
    static let signals: [Int32] = [SIGINT, SIGTERM]

    /// What a loop needs: the descriptor to poll and the count to compare with.
    struct Registration {
        let readDescriptor: Int32
        let countAtStart: Int
    }

    private let lock = Lock()
    private var users = 0
    private var readDescriptor: Int32 = -1
    private var writeDescriptor: Int32 = -1
    private var previousActions: [(signal: Int32, action: sigaction)] = []
    private var previousMask: sigset_t?

    func register() throws(SyscallError) -> Registration {
        let result: Result<Registration, SyscallError> = lock.withLock {
            if users == 0 {
                do throws(SyscallError) {
                    let ends = try Syscall.pipe()
                    readDescriptor = ends.read
                    writeDescriptor = ends.write
                    signalRelayWriteDescriptor = ends.write
                    for signal in Self.signals {
                        previousActions.append((signal, try Syscall.installRelayHandler(signal)))
                    }
                    previousMask = Syscall.unblock(Self.signals)
                } catch {
                    restoreAndClose()
                    return .failure(error)
                }
            }
            users += 1
            return .success(Registration(readDescriptor: readDescriptor, countAtStart: signalRelayCount))
        }
        return try result.get()
    }

    func unregister() {
        lock.withLock {
            users -= 1
            if users == 0 { restoreAndClose() }
        }
    }

    /// The signal that arrived since `registration` was made, if any.
    func signal(since registration: Registration) -> Int32? {
        signalRelayCount == registration.countAtStart ? nil : signalRelayLastSignal
    }

    /// Puts the previous actions back, then closes the pipe (so a handler still running writes to
    /// a descriptor that is still open).
    private func restoreAndClose() {
        if let previousMask { Syscall.restoreMask(previousMask) }
        previousMask = nil
        for (signal, action) in previousActions.reversed() { Syscall.restoreSignal(signal, action) }
        previousActions.removeAll()
        signalRelayWriteDescriptor = -1
        Syscall.close(readDescriptor)
        Syscall.close(writeDescriptor)
        readDescriptor = -1
        writeDescriptor = -1
    }
}
