/// The actions of calls into a connection, in order: what the machine appends to and its host
/// carries out (see `TCPConnection.exchangeActions`). A copy-on-write list like an array, which
/// the host can also empty by moving the actions out one by one (`removeAll(_:)`), keeping its
/// storage for the next call.
///
/// Why not `[TCPAction]`: an array cannot give up an element without destroying what is left in
/// its place, so the host moved each action out, left a placeholder, and destroyed the
/// placeholders afterwards, each destruction a call through the enum's value witness: with the
/// array's own append path that cost ~175 instructions a packet (callgrind, workload A).
public struct TCPActionList: Sendable {
    /// The actions, in a buffer with room for more; nil until the first append.
    private var storage: Storage?

    /// The actions, `count` of them initialized, in room for `capacity`. Shared only between
    /// copies of a list, which copy it before they write (`isKnownUniquelyReferenced`), as an
    /// array's buffer is; hence `@unchecked Sendable`, as an array is Sendable. Its properties are
    /// `@exclusivity(unchecked)` as the simulation's hot state is: each access is momentary.
    final class Storage: @unchecked Sendable {
        let actions: UnsafeMutablePointer<TCPAction>
        let capacity: Int
        @exclusivity(unchecked) var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            actions = .allocate(capacity: capacity)
        }

        deinit {
            actions.deinitialize(count: count)
            actions.deallocate()
        }
    }

    public init() {}

    public init(_ actions: [TCPAction]) {
        for action in actions { append(action) }
    }

    public var count: Int { storage?.count ?? 0 }

    public var isEmpty: Bool { count == 0 }

    public mutating func append(_ action: consuming TCPAction) {
        let count = self.count
        if !isKnownUniquelyReferenced(&storage) || count == storage.unsafelyUnwrapped.capacity {
            reallocate(capacity: Swift.max(8, 2 * count))
        }
        let storage = self.storage.unsafelyUnwrapped
        (storage.actions + count).initialize(to: action)
        storage.count = count + 1
    }

    /// Moves the actions to a new buffer with room for `capacity` (copies them, when shared).
    private mutating func reallocate(capacity: Int) {
        let bigger = Storage(capacity: capacity)
        let unique = isKnownUniquelyReferenced(&storage)
        if let old = storage {
            let count = old.count
            if unique {
                bigger.actions.moveInitialize(from: old.actions, count: count)
                old.count = 0
            } else {
                bigger.actions.initialize(from: old.actions, count: count)
            }
            bigger.count = count
        }
        storage = bigger
    }

    /// Removes every action, in order, handing each to `body`; the list keeps its room.
    /// `body` must not touch this list.
    public mutating func removeAll(_ body: (consuming TCPAction) -> Void) {
        guard let count = storage?.count, count > 0 else { return }
        guard isKnownUniquelyReferenced(&storage) else {
            let actions = array
            storage = nil
            for action in actions { body(action) }
            return
        }
        let storage = self.storage.unsafelyUnwrapped
        // Emptied before the actions are handed out: each is moved out of its place, and nothing
        // is left there to destroy.
        storage.count = 0
        for index in 0..<count { body((storage.actions + index).move()) }
    }

    /// The actions as an array.
    public var array: [TCPAction] {
        guard let storage else { return [] }
        return Array(UnsafeBufferPointer(start: storage.actions, count: storage.count))
    }
}
