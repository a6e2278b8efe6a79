import Protocols
import Sockets
import Tracing

/// One WebSocket connection after its opening handshake: the sans-I/O `WebSocketConnection`
/// glued to a socket, for either end.
///
/// Bytes from the socket go to the machine; its actions go to the socket (each `send` is one whole
/// frame) and its events to the application through `onMessage`, `onPong` and `onClose`. Every
/// frame each way and the browser API's events (`websocket-open`, `-message`, `-error`, `-close`)
/// are recorded in the trace; a close handshake that the peer leaves unfinished ends at the
/// machine's close timeout.
final class WebSocketSession {
    let connection: AppConnection
    private var machine: WebSocketConnection
    private var timer: (any Cancellable)?
    /// A message arrived (`onmessage`).
    var onMessage: ((WebSocketMessage) -> Void)?
    /// A pong arrived, with its payload.
    var onPong: (([UInt8]) -> Void)?
    /// The connection is over (`onclose`); called once.
    var onClose: ((_ code: WebSocketCloseCode, _ clean: Bool) -> Void)?
    private var closeReported = false

    init(connection: AppConnection, machine: WebSocketConnection) {
        self.connection = connection
        self.machine = machine
    }

    /// Whether messages can be sent (`readyState` OPEN).
    var isOpen: Bool { machine.readyState == 1 }

    /// Takes the socket over, reports `onopen`, then handles `leftover`: the bytes that came
    /// after the handshake in the same read.
    func start(leftover: [UInt8]) {
        connection.onEvent = { [weak self] event in self?.handle(event) }
        perform(machine.open(now: connection.now))
        if !leftover.isEmpty { perform(machine.receive(leftover, now: connection.now)) }
    }

    // MARK: - The application's calls

    func send(_ message: WebSocketMessage) {
        guard isOpen else { return }
        switch message {
        case .text(let text): connection.record(.webSocket(.message(.sent, binary: false, bytes: text.utf8.count)))
        case .binary(let bytes): connection.record(.webSocket(.message(.sent, binary: true, bytes: bytes.count)))
        }
        perform(machine.send(message, now: connection.now))
    }

    func ping(_ payload: [UInt8] = []) {
        guard let output = try? machine.ping(payload, now: connection.now) else { return }
        perform(output)
    }

    /// Starts the close handshake (§7.1.2).
    func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        guard let output = try? machine.close(code: code, reason: reason, now: connection.now) else { return }
        perform(output)
    }

    /// Drops the connection without a close handshake (the application is stopping).
    func abort() {
        timer?.cancel()
        timer = nil
        connection.abort()
    }

    // MARK: - The socket's events

    private func handle(_ event: SocketEvent) {
        switch event {
        case .opened, .error:
            break
        case .data(let bytes):
            perform(machine.receive(bytes, now: connection.now))
        case .peerFinished, .closed:
            // The peer closed TCP (after the close handshake, or without one: 1006).
            perform(machine.transportClosed(now: connection.now))
            if case .peerFinished = event { connection.close() }
            if case .closed = event {
                timer?.cancel()
                timer = nil
            }
        }
    }

    private func perform(_ output: WebSocketOutput) {
        for frame in output.framesReceived {
            guard let opcode = WebSocketFrameOpcode(value: frame.opcode.rawValue) else { continue }
            let header = WebSocketFrame.headerLength(payloadLength: frame.payload.count, masked: frame.maskingKey != nil)
            connection.record(.webSocket(.frame(.received, opcode: opcode, fin: frame.fin, masked: frame.maskingKey != nil,
                                                headerBytes: header, payloadBytes: frame.payload.count)))
        }
        for action in output.actions {
            switch action {
            case .send(let bytes):
                if let frame = Self.describe(bytes) { connection.record(.webSocket(frame)) }
                connection.send(bytes)
            case .closeTransport:
                connection.close()
            }
        }
        for event in output.events {
            switch event {
            case .open:
                connection.record(.webSocket(.open))
            case .message(let message):
                switch message {
                case .text(let text):
                    connection.record(.webSocket(.message(.received, binary: false, bytes: text.utf8.count)))
                case .binary(let bytes):
                    connection.record(.webSocket(.message(.received, binary: true, bytes: bytes.count)))
                }
                onMessage?(message)
            case .pong(let payload):
                onPong?(payload)
            case .error(let error):
                connection.record(.webSocket(.error(code: Int(error.closeCode.rawValue), reason: error.summary)))
            case .close(let code, _, let clean):
                connection.record(.webSocket(.close(code: Int(code.rawValue), clean: clean)))
                if !closeReported {
                    closeReported = true
                    onClose?(code, clean)
                }
            }
        }
        scheduleDeadline()
    }

    /// Wakes the machine at the end of a close timeout.
    private func scheduleDeadline() {
        timer?.cancel()
        timer = nil
        guard let deadline = machine.nextDeadline else { return }
        timer = connection.host.at(nanoseconds: deadline) { [weak self] in
            guard let self else { return }
            self.timer = nil
            self.perform(self.machine.tick(now: self.connection.now))
        }
    }

    /// The trace's description of a frame this end wrote, read back from its header (§5.2).
    static func describe(_ bytes: [UInt8]) -> WebSocketTraceEvent? {
        guard bytes.count >= 2, let opcode = WebSocketFrameOpcode(value: bytes[0]) else { return nil }
        let masked = bytes[1] & 0x80 != 0
        let extended = switch bytes[1] & 0x7F { case 126: 2; case 127: 8; default: 0 }
        let header = 2 + extended + (masked ? 4 : 0)
        guard bytes.count >= header else { return nil }
        return .frame(.sent, opcode: opcode, fin: bytes[0] & 0x80 != 0, masked: masked, headerBytes: header,
                      payloadBytes: bytes.count - header)
    }
}
