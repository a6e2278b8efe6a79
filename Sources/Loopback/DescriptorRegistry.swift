import Glibc

/// The descriptors one `LoopbackNetwork` has open, in the order it opened them.
///
/// Every socket, listener, datagram socket and capture socket registers its descriptor here the
/// moment it is created, and every path that ends one (an explicit close, an error, `abort`,
/// `LoopbackNetwork.shutdown()`, `deinit`, a signal) closes it through `close(_:)`, so nothing
/// outlives the network and nothing is closed twice.
final class DescriptorRegistry {
    struct Entry {
        var descriptor: Int32
        /// What the descriptor is, for diagnostics: `"tcp client:49152"`.
        var label: String
    }

    private(set) var entries: [Entry] = []

    var count: Int { entries.count }

    func register(_ descriptor: Int32, label: String) {
        entries.append(Entry(descriptor: descriptor, label: label))
    }

    /// Closes a registered descriptor; one not (or no longer) registered is left alone.
    func close(_ descriptor: Int32) {
        guard let index = entries.firstIndex(where: { $0.descriptor == descriptor }) else { return }
        entries.remove(at: index)
        Syscall.close(descriptor)
    }

    /// Closes everything, newest first.
    func closeAll() {
        while let entry = entries.popLast() { Syscall.close(entry.descriptor) }
    }
}

/// How many descriptors the Loopback module has open in this process, over all networks and
/// the signal relay: every descriptor created in `Syscall` counts up, every close counts down.
public enum OpenDescriptors {
    private static let lock = Lock()
    nonisolated(unsafe) private static var value = 0

    /// Descriptors open now.
    public static var count: Int { lock.withLock { value } }

    static func opened(_ count: Int = 1) { lock.withLock { value += count } }

    static func closed() { lock.withLock { value -= 1 } }
}

/// A mutual-exclusion lock over `pthread_mutex_t`, for the little state the module shares between
/// threads (the descriptor count and the signal relay).
final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
