/// A sans-I/O WebSocket endpoint after the opening handshake (RFC 6455 §5-§7).
///
/// Bytes and time go in, actions for the transport and events for the application come out;
/// nothing inside reads a clock or draws a random number. A client masks its frames with keys
/// from the source it was given (§5.3).
///
/// The close handshake (§5.5.1, §7.1): the endpoint that closes first sends a Close frame and
/// waits; the other echoes the status code. Then the server closes the TCP connection first
/// (§7.1.1); the client waits for that, and closes it itself after `closeTimeout`. An endpoint
/// that receives bytes breaking the protocol sends a Close frame with the matching code and
/// closes the transport at once (§7.1.7).
///
///     var server = WebSocketConnection.server()
///     _ = server.open(now: 0)                      // events: [.open]
///     let output = server.receive(bytes, now: 10)  // events: [.message(.text("Hello"))]
public struct WebSocketConnection: Sendable {
    /// Limits and timing.
    public struct Configuration: Sendable, Equatable {
        /// The largest payload accepted in one received frame, in octets.
        public var maxFramePayload: Int
        /// The largest received message, all fragments together, in octets.
        public var maxMessageSize: Int
        /// The largest payload per frame when sending; nil sends each message as one frame.
        public var fragmentSize: Int?
        /// How long to wait for the peer's Close frame, or (client) for the server to close the
        /// transport after the close handshake, in nanoseconds.
        public var closeTimeout: Int64

        /// A configuration; by default 1 MiB limits, no fragmentation, 5 s close timeout.
        public init(maxFramePayload: Int = 1 << 20, maxMessageSize: Int = 1 << 20, fragmentSize: Int? = nil,
                    closeTimeout: Int64 = 5_000_000_000) {
            self.maxFramePayload = maxFramePayload
            self.maxMessageSize = maxMessageSize
            self.fragmentSize = fragmentSize
            self.closeTimeout = closeTimeout
        }
    }

    /// Where the endpoint is in its life (§4, §7).
    public enum State: Sendable, Equatable {
        /// The opening handshake has not been reported complete (`open(now:)` not called).
        case connecting
        /// Messages flow both ways (§4.1: "_The WebSocket Connection is Established_").
        case open
        /// This endpoint sent a Close frame at `since` and waits for the peer's (§5.5.1).
        case closeSent(since: Int64)
        /// Both Close frames have been exchanged; the client waits since `since` for the server
        /// to close the transport (§7.1.1). The peer's code and reason are kept for the event.
        case awaitingTransportClose(since: Int64, code: WebSocketCloseCode, reason: String)
        /// The transport is closed, or has been asked to close.
        case closed
    }

    /// The browser's `readyState` numbers: CONNECTING 0, OPEN 1, CLOSING 2, CLOSED 3.
    public var readyState: Int {
        switch state {
        case .connecting: 0
        case .open: 1
        case .closeSent, .awaitingTransportClose: 2
        case .closed: 3
        }
    }

    /// Which end this is.
    public let role: WebSocketRole
    /// Limits and timing.
    public let configuration: Configuration
    /// Where the endpoint is.
    public internal(set) var state: State = .connecting

    private var maskingKeys: (any WebSocketMaskingKeySource)?
    private var parser: WebSocketFrameParser
    /// The fragments so far of the message being received.
    private var message: (isText: Bool, payload: [UInt8])?

    private init(role: WebSocketRole, configuration: Configuration, maskingKeys: (any WebSocketMaskingKeySource)?) {
        self.role = role
        self.configuration = configuration
        self.maskingKeys = maskingKeys
        parser = WebSocketFrameParser(role: role, maxFramePayload: configuration.maxFramePayload,
                                      maxMessageSize: configuration.maxMessageSize)
    }

    /// A client endpoint that masks every frame it sends with keys from `maskingKeys` (§5.3).
    public static func client(maskingKeys: some WebSocketMaskingKeySource,
                              configuration: Configuration = Configuration()) -> WebSocketConnection {
        WebSocketConnection(role: .client, configuration: configuration, maskingKeys: maskingKeys)
    }

    /// A server endpoint; servers never mask (§5.1).
    public static func server(configuration: Configuration = Configuration()) -> WebSocketConnection {
        WebSocketConnection(role: .server, configuration: configuration, maskingKeys: nil)
    }

    /// Reports that the opening handshake completed; emits `open` (§4.1, §4.2.2).
    public mutating func open(now: Int64) -> WebSocketOutput {
        guard state == .connecting else { return WebSocketOutput() }
        state = .open
        return WebSocketOutput(events: [.open])
    }

    /// The received bytes held: the parser's (at most one frame's payload) and the fragments of an
    /// unfinished message (at most `maxMessageSize`).
    public var bufferedByteCount: Int {
        parser.bufferedByteCount + (message?.payload.count ?? 0)
    }

    /// The time at which `tick(now:)` must next be called, if any: the end of a close timeout.
    public var nextDeadline: Int64? {
        switch state {
        case .closeSent(let since), .awaitingTransportClose(let since, _, _): since + configuration.closeTimeout
        case .connecting, .open, .closed: nil
        }
    }

    // MARK: - Input

    /// Handles bytes received from the peer.
    ///
    /// - Precondition: `open(now:)` has been called.
    public mutating func receive<Bytes: Collection<UInt8>>(_ bytes: Bytes, now: Int64) -> WebSocketOutput {
        precondition(state != .connecting, "call open(now:) once the opening handshake has completed")
        var output = WebSocketOutput()
        // §7.1.1, §5.5.1: after the peer's Close frame nothing more is read.
        guard state == .open || isCloseSent else { return output }
        var frames: [WebSocketFrame] = []
        var failure: WebSocketProtocolError?
        do {
            try parser.parse(bytes) { frames.append($0) }
        } catch {
            failure = error
        }
        output.framesReceived = frames
        for frame in frames {
            handle(frame, now: now, into: &output)
            guard state == .open || isCloseSent else { return output }
        }
        if let failure { fail(failure, into: &output) }
        return output
    }

    /// Reports that the transport closed (the peer closed TCP, or it was lost).
    ///
    /// After a completed close handshake the close is clean; otherwise the close code is 1006
    /// (§7.1.5, §7.1.6).
    public mutating func transportClosed(now: Int64) -> WebSocketOutput {
        switch state {
        case .connecting, .open, .closeSent:
            state = .closed
            return WebSocketOutput(events: [.close(code: .abnormalClosure, reason: "", wasClean: false)])
        case .awaitingTransportClose(_, let code, let reason):
            state = .closed
            return WebSocketOutput(events: [.close(code: code, reason: reason, wasClean: true)])
        case .closed:
            return WebSocketOutput()
        }
    }

    /// Lets time pass: ends a close handshake that has waited `closeTimeout`.
    public mutating func tick(now: Int64) -> WebSocketOutput {
        guard let deadline = nextDeadline, now >= deadline else { return WebSocketOutput() }
        switch state {
        case .closeSent:
            // The peer never answered our Close frame: give up on it (§7.1.1, §7.1.5).
            state = .closed
            return WebSocketOutput(actions: [.closeTransport],
                                   events: [.close(code: .abnormalClosure, reason: "", wasClean: false)])
        case .awaitingTransportClose(_, let code, let reason):
            // §7.1.1: the client may close TCP itself if the server does not in reasonable time.
            state = .closed
            return WebSocketOutput(actions: [.closeTransport],
                                   events: [.close(code: code, reason: reason, wasClean: true)])
        case .connecting, .open, .closed:
            return WebSocketOutput()
        }
    }

    // MARK: - Frames received

    private var isCloseSent: Bool {
        if case .closeSent = state { return true }
        return false
    }

    private mutating func handle(_ frame: WebSocketFrame, now: Int64, into output: inout WebSocketOutput) {
        switch frame.opcode {
        case .text, .binary:
            message = (frame.opcode == .text, frame.payload)
            if frame.fin { deliverMessage(into: &output) }
        case .continuation:
            // The parser guarantees a message is under way (§5.4).
            message?.payload += frame.payload
            if frame.fin { deliverMessage(into: &output) }
        case .ping:
            // §5.5.2: answer with a pong carrying the same application data, while open.
            if state == .open {
                output.actions.append(.send(encode(WebSocketFrame(opcode: .pong, payload: frame.payload))))
            }
        case .pong:
            output.events.append(.pong(frame.payload))
        case .close:
            closeReceived(frame, now: now, into: &output)
        case .reserved:
            break  // The parser refuses reserved opcodes.
        }
    }

    private mutating func deliverMessage(into output: inout WebSocketOutput) {
        guard let complete = message else { return }
        message = nil
        // Browsers drop messages that arrive once they have started closing.
        guard state == .open else { return }
        // The parser has validated text as UTF-8 (§8.1), so decoding replaces nothing.
        let received: WebSocketMessage = complete.isText
            ? .text(String(decoding: complete.payload, as: UTF8.self)) : .binary(complete.payload)
        output.events.append(.message(received))
    }

    /// The peer's Close frame: echo it if we have not sent ours, then the handshake is complete.
    private mutating func closeReceived(_ frame: WebSocketFrame, now: Int64, into output: inout WebSocketOutput) {
        let code = frame.closeCode ?? .noStatusReceived
        let reason = frame.closeReason
        if state == .open {
            // §5.5.1: "the endpoint typically echos the status code it received".
            output.actions.append(.send(encode(.close(code: frame.closeCode))))
        }
        switch role {
        case .server:
            // §7.1.1: the server closes the TCP connection first.
            state = .closed
            output.actions.append(.closeTransport)
            output.events.append(.close(code: code, reason: reason, wasClean: true))
        case .client:
            state = .awaitingTransportClose(since: now, code: code, reason: reason)
        }
    }

    /// _Fail the WebSocket Connection_ (§7.1.7): a Close frame with the error's code, unless one
    /// was sent already, then close the transport.
    private mutating func fail(_ error: WebSocketProtocolError, into output: inout WebSocketOutput) {
        if state == .open { output.actions.append(.send(encode(.close(code: error.closeCode)))) }
        state = .closed
        output.actions.append(.closeTransport)
        output.events.append(.error(error))
        output.events.append(.close(code: .abnormalClosure, reason: "", wasClean: false))
    }

    /// The frame's bytes, masked with a fresh key when this is a client (§5.3).
    mutating func encode(_ frame: WebSocketFrame) -> [UInt8] {
        var frame = frame
        frame.maskingKey = maskingKeys?.nextMaskingKey()
        return frame.encoded()
    }
}
