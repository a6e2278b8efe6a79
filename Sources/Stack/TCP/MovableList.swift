/// A copy-on-write list, like an array, that can also be emptied by moving its elements out one
/// by one, in order (`removeAll(_:)`), keeping its room for the next use: the host's lists of a
/// connection's actions (`TCPActionList`) and of deferred application callbacks.
///
/// Why not an array: an array cannot give up an element without destroying what is left in its
/// place, so the host moved each action out, left a placeholder, and destroyed the placeholders
/// afterwards (each destruction a call through the enum's value witness), or iterated over copies
/// and then emptied the array (`swift_arrayDestroy`, ~100 instructions a batch): with the array's
/// own append path that cost ~175 instructions a packet of workload A for the actions alone
/// (callgrind).
public struct MovableList<Element> {
    /// The elements, in a buffer with room for more; nil until the first append.
    private var storage: Storage?

    /// The elements, `count` of them initialized, in room for `capacity`. Shared only between
    /// copies of a list, which copy it before they write (`isKnownUniquelyReferenced`), as an
    /// array's buffer is. Its count is `@exclusivity(unchecked)` as the simulation's hot state
    /// is: each access is momentary.
    final class Storage {
        let elements: UnsafeMutablePointer<Element>
        let capacity: Int
        @exclusivity(unchecked) var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            elements = .allocate(capacity: capacity)
        }

        deinit {
            elements.deinitialize(count: count)
            elements.deallocate()
        }
    }

    public init() {}

    public init(_ elements: [Element]) {
        for element in elements { append(element) }
    }

    public var count: Int { storage?.count ?? 0 }

    public var isEmpty: Bool { count == 0 }

    public mutating func append(_ element: consuming Element) {
        let count = self.count
        if !isKnownUniquelyReferenced(&storage) || count == storage.unsafelyUnwrapped.capacity {
            reallocate(capacity: Swift.max(8, 2 * count))
        }
        let storage = self.storage.unsafelyUnwrapped
        (storage.elements + count).initialize(to: element)
        storage.count = count + 1
    }

    /// Moves the elements to a new buffer with room for `capacity` (copies them, when shared).
    private mutating func reallocate(capacity: Int) {
        let bigger = Storage(capacity: capacity)
        let unique = isKnownUniquelyReferenced(&storage)
        if let old = storage {
            let count = old.count
            if unique {
                bigger.elements.moveInitialize(from: old.elements, count: count)
                old.count = 0
            } else {
                bigger.elements.initialize(from: old.elements, count: count)
            }
            bigger.count = count
        }
        storage = bigger
    }

    /// Removes every element, in order, handing each to `body`; the list keeps its room.
    /// `body` must not touch this list.
    public mutating func removeAll(_ body: (consuming Element) -> Void) {
        guard let count = storage?.count, count > 0 else { return }
        guard isKnownUniquelyReferenced(&storage) else {
            let elements = array
            storage = nil
            for element in elements { body(element) }
            return
        }
        // Emptied before the elements are handed out: each is moved out of its place, and
        // nothing is left there to destroy. The storage is not retained for the loop (~40
        // instructions a call; callgrind, workload A): this list holds it, and `body` may not
        // touch the list.
        Unmanaged.passUnretained(self.storage.unsafelyUnwrapped)._withUnsafeGuaranteedRef { storage in
            storage.count = 0
            for index in 0..<count { body((storage.elements + index).move()) }
        }
    }

    /// Removes every element; the list keeps its room.
    public mutating func removeAll() {
        removeAll { _ in }
    }

    /// The elements as an array.
    public var array: [Element] {
        guard let storage else { return [] }
        return Array(UnsafeBufferPointer(start: storage.elements, count: storage.count))
    }
}

// As an array's: a storage is only ever written through a list that holds it alone.
extension MovableList.Storage: @unchecked Sendable where Element: Sendable {}
extension MovableList: Sendable where Element: Sendable {}

/// The actions of calls into a connection, in order: what the machine appends to and its host
/// carries out (see `TCPConnection.exchangeActions`).
public typealias TCPActionList = MovableList<TCPAction>
