/// The socket API of one host, as both runtimes (simulated and real loopback) implement it.
///
/// Everything is callback-driven on the runtime's single event loop: calls return at once and
/// outcomes arrive as events. No simulation type appears here, so the same application code runs
/// on StackLab's stack and on the kernel's. Times are integer nanoseconds since the runtime
/// started, as traces record them: the one time type at StackLab's module boundaries.
public protocol SocketHost: AnyObject {
    /// The host's name, e.g. `"client"`.
    var name: String { get }
    /// Nanoseconds since the runtime started: virtual on the simulated runtime, monotonic on loopback.
    var now: Int64 { get }

    /// Passive open: accept connections on `port`, queueing at most `backlog` not yet accepted.
    func listen(port: UInt16, backlog: Int) throws(SocketError) -> any StreamListener
    /// Active open towards `address` from `localPort` (0 picks an ephemeral port); the outcome
    /// arrives as `opened` or `error`.
    func connect(to address: SocketAddress, from localPort: UInt16) throws(SocketError) -> any StreamSocket
    /// A datagram socket bound to `port` (0 picks an ephemeral port).
    func bindDatagram(port: UInt16) throws(SocketError) -> any DatagramSocket
    /// Runs `action` once, `nanoseconds` from now (at once for 0 or less); the returned token cancels it.
    @discardableResult
    func after(nanoseconds: Int64, _ action: @escaping () -> Void) -> any Cancellable
    /// Runs `action` once at `time` nanoseconds since the runtime started (at once if that has
    /// passed). Actions due at the same instant run in the order they were set, whatever the clock
    /// read while they were being set: a scenario's steps at one time keep their order.
    @discardableResult
    func at(nanoseconds time: Int64, _ action: @escaping () -> Void) -> any Cancellable
}

/// A listening socket (`listen()` + `accept()`).
public protocol StreamListener: AnyObject {
    var localAddress: SocketAddress { get }
    /// Called with each accepted connection (already established).
    var onAccept: ((any StreamSocket) -> Void)? { get set }
    /// Stops listening; connections already accepted live on.
    func close()
}

/// A connected (or connecting) stream socket: TCP.
public protocol StreamSocket: AnyObject {
    var localAddress: SocketAddress { get }
    var remoteAddress: SocketAddress { get }
    /// Receives `opened`, `data`, `peerFinished`, `error` and `closed`.
    var onEvent: ((SocketEvent) -> Void)? { get set }
    /// While true the application reads nothing, so the receive buffer fills and the window closes.
    var isReadingPaused: Bool { get set }
    /// Queues all of `bytes` for sending. The runtime hands them to the transport as its send
    /// buffer frees, as a blocking `write()` would, so the application never has to retry.
    func send(_ bytes: [UInt8])
    /// Queues `count` bytes of `PayloadPattern` from stream offset `offset`, or an endless stream
    /// of them when `count` is nil (a bulk sender, as ns-3's BulkSend), like `send(_:)` but without
    /// building them: the runtime makes the bytes as the transport takes them, so a large or
    /// endless send costs no memory.
    func send(patternFrom offset: Int, count: Int?)
    /// `shutdown(SHUT_WR)`: send FIN after queued data, keep receiving (half-close).
    func shutdownWrite()
    /// `close()`: finish sending and release the socket when the connection is done.
    func close()
    /// Abortive close: `SO_LINGER` with zero timeout, i.e. send RST.
    func abort()
    /// Turns TCP keepalive on with these timings, or off with nil (`setsockopt(SO_KEEPALIVE)`).
    /// On an established connection the idle time counts from now.
    func setKeepalive(_ keepalive: SocketKeepalive?)
    /// `setsockopt(IPPROTO_TCP, TCP_NODELAY or TCP_QUICKACK)`.
    func setOption(_ option: StreamSocketOption)
}

extension StreamSocket {
    /// For sockets that cannot make bytes lazily: builds a finite pattern and sends it.
    public func send(patternFrom offset: Int, count: Int?) {
        guard let count else { preconditionFailure("this socket cannot send an endless stream") }
        send(PayloadPattern.bytes(from: offset, count: count))
    }
}

/// A datagram socket: UDP.
public protocol DatagramSocket: AnyObject {
    var localAddress: SocketAddress { get }
    /// Called with each datagram received and its sender.
    var onDatagram: (([UInt8], SocketAddress) -> Void)? { get set }
    /// Called when an ICMP error comes back for a datagram sent earlier.
    var onError: ((SocketError) -> Void)? { get set }
    func send(_ bytes: [UInt8], to address: SocketAddress)
    /// `connect(2)` on a UDP socket: only `address` may send to it, and ICMP errors about datagrams
    /// sent to it are reported (Linux reports port unreachable only to a connected socket).
    func connect(to address: SocketAddress) throws(SocketError)
    func close()
}

/// A pending timer that can be cancelled.
public protocol Cancellable: AnyObject {
    func cancel()
}
