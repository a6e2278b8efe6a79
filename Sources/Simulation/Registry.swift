/// The objects a scheduler holds for its events, by number (`Scheduler.register`): a growable
/// buffer of retained references behind a pointer. An event's link or target is called through
/// `withElement` without a reference of its own: the registry keeps it alive until `removeAll`.
/// (Retaining and releasing the callee around each call, as a plain load does, was an atomic
/// operation pair per event: a quarter of the time of `bench engine`; perf.)
struct Registry<Element: AnyObject> {
    private var base: UnsafeMutablePointer<Unmanaged<Element>>
    private(set) var count = 0
    private var capacity = 4

    init() {
        base = .allocate(capacity: capacity)
    }

    /// Keeps `element` and returns its number.
    mutating func append(_ element: Element) -> Int32 {
        if count == capacity {
            let bigger = UnsafeMutablePointer<Unmanaged<Element>>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: .passRetained(element))
        count += 1
        return Int32(count - 1)
    }

    /// Calls `body` with the element numbered `index`, taking no reference to it.
    @inline(__always)
    func withElement<Result>(_ index: Int32, _ body: (Element) -> Result) -> Result {
        base[Int(index)]._withUnsafeGuaranteedRef(body)
    }

    /// Lets every element go; numbers start from 0 again.
    mutating func removeAll() {
        for index in 0..<count { base[index].release() }
        base.deinitialize(count: count)
        count = 0
    }

    /// Frees the buffer; the registry must not be used afterwards.
    mutating func deallocate() {
        removeAll()
        base.deallocate()
    }
}
