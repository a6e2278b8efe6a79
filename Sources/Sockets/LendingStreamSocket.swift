/// A stream socket that can hand a read's bytes to the application where they lie (the simulated
/// runtime: a slice of the received frame), instead of copying them into a `.data` event's array.
/// An application that only inspects what it reads (the scenario runner checks it against
/// `PayloadPattern`) saves the copy and the array (callgrind, workload A: see `onLentData`).
public protocol LendingStreamSocket: StreamSocket {
    /// When set, each read's bytes come here, lent in one contiguous piece valid only during the
    /// call, instead of as a `.data` event; every other event still goes to `onEvent`.
    var onLentData: ((UnsafeRawBufferPointer) -> Void)? { get set }
}
