import Protocols
import Sockets
import Tracing

/// One server connection: the sans-I/O `HTTPServerConnection` glued to a socket.
///
/// Bytes in go to the machine; requests it reports go to the site and its answers back to the
/// machine, which releases responses in request order (RFC 9112 §9.3.2) and says when to close
/// (RFC 9112 §9.3, §9.6). A persistent connection idle for the idle timeout is closed by the
/// server (RFC 9112 §9.5), which then holds TIME-WAIT. Every request, response and rejection is
/// recorded as an application event.
final class HTTPServerSession {
    let connection: AppConnection
    private let site: WebSite
    private var machine: HTTPServerConnection
    private var lastActivity: Int64
    private var idleTimer: (any Cancellable)?
    /// Responses still to be written, in request order: the request's id, line and method (nil
    /// for the error response to input that could not be parsed).
    private var awaiting: [(id: Int, line: String, method: HTTPMethod)?] = []
    var onLog: ((HTTPServerApplication.LogEntry) -> Void)?
    var onClosed: (() -> Void)?

    init(connection: AppConnection, site: WebSite, limits: HTTPLimits, idleTimeout: Int64) {
        self.connection = connection
        self.site = site
        machine = HTTPServerConnection(limits: limits, idleTimeout: idleTimeout)
        lastActivity = connection.now
    }

    func start() {
        connection.onEvent = { [weak self] event in self?.handle(event) }
        armIdleTimer()
    }

    private func handle(_ event: SocketEvent) {
        switch event {
        case .opened:
            break
        case .data(let bytes):
            lastActivity = connection.now
            perform(machine.receive(bytes))
            armIdleTimer()
        case .peerFinished:
            perform(machine.receiveEndOfStream())
        case .error:
            break
        case .closed:
            idleTimer?.cancel()
            idleTimer = nil
            onClosed?()
        }
    }

    private func perform(_ actions: [HTTPServerConnection.Action]) {
        for action in actions {
            switch action {
            case .request(let id, let request):
                let line = HTTPRequestLine(method: request.method.name, target: Self.traceable(request.target),
                                           version: request.version.description)
                connection.record(.httpRequestReceived(id: id, request: line, bodyBytes: request.body.count))
                awaiting.append((id, line.description, request.method))
                perform(machine.respond(to: id, with: site.respond(to: request)))
            case .send(let bytes):
                lastActivity = connection.now
                recordResponse(bytes)
                connection.send(bytes)
            case .close:
                idleTimer?.cancel()
                idleTimer = nil
                connection.close()
            case .rejected(let error):
                let reason = String(error.description.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
                connection.record(.httpRejected(status: error.status, reason: reason))
                awaiting.append(nil)
                onLog?(.init(time: connection.now, client: connection.socket.remoteAddress.description,
                             request: "malformed: \(error.description)", status: error.status, bodyBytes: 0))
            case .upgrade:
                // The site never answers 101, so the machine never hands the connection over.
                connection.abort()
            }
        }
    }

    /// Records a final response's header and body sizes: its header section runs to the first
    /// empty line (RFC 9112 §2.1); the site frames every body with Content-Length.
    private func recordResponse(_ bytes: [UInt8]) {
        guard let (version, status) = Self.statusLine(bytes), status >= 200, !awaiting.isEmpty else { return }
        let head = Self.headerLength(bytes)
        guard let request = awaiting.removeFirst() else { return }   // the error response
        connection.record(.httpResponseSent(id: request.id, version: version, status: status, headerBytes: head,
                                            bodyBytes: bytes.count - head))
        onLog?(.init(time: connection.now, client: connection.socket.remoteAddress.description, request: request.line,
                     status: status, bodyBytes: bytes.count - head))
    }

    /// Closes the connection once it has been idle for the timeout (RFC 9112 §9.5); the machine
    /// says when that is, and never while a request awaits its answer.
    private func armIdleTimer() {
        idleTimer?.cancel()
        idleTimer = nil
        guard let deadline = machine.idleDeadline(lastActivity: lastActivity), !connection.isFinished else { return }
        idleTimer = connection.host.at(nanoseconds: deadline) { [weak self] in
            guard let self else { return }
            self.idleTimer = nil
            guard self.machine.shouldCloseForIdleness(now: self.connection.now, lastActivity: self.lastActivity) else {
                self.armIdleTimer()
                return
            }
            self.connection.record(.httpIdleClose(idle: self.connection.now - self.lastActivity))
            self.connection.close()
        }
    }

    /// `HTTP/1.1 200 ...` → ("HTTP/1.1", 200).
    static func statusLine(_ bytes: [UInt8]) -> (String, Int)? {
        guard bytes.count >= 12 else { return nil }
        let version = String(decoding: bytes[0..<8], as: UTF8.self)
        guard bytes[8] == 0x20, let status = Int(String(decoding: bytes[9..<12], as: UTF8.self)) else { return nil }
        return (version, status)
    }

    /// The length of the header section, through the empty line's CRLF (all of `bytes` if none).
    static func headerLength(_ bytes: [UInt8]) -> Int {
        var index = 3
        while index < bytes.count {
            if bytes[index] == 0x0A, bytes[index - 1] == 0x0D, bytes[index - 2] == 0x0A, bytes[index - 3] == 0x0D {
                return index + 1
            }
            index += 1
        }
        return bytes.count
    }

    /// A target as one word of a trace event: anything but visible ASCII percent-encoded.
    static func traceable(_ target: String) -> String {
        var text = ""
        for byte in target.utf8 {
            if byte > 0x20 && byte < 0x7F {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let digits = Array("0123456789ABCDEF")
                text += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
            }
        }
        return text.isEmpty ? "/" : text
    }
}
