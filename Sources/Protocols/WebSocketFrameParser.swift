/// An incremental parser of received WebSocket frames (RFC 6455 §5), fed arbitrary slices.
///
/// It checks everything that a single direction of the byte stream can break: the frame
/// header (§5.2), masking by role (§5.1), control frame rules (§5.5), the fragmentation
/// sequence (§5.4), UTF-8 of text messages and close reasons (§5.6, §8.1, §5.5.1), close status
/// codes (§7.4) and the configured size limits. Each check runs as soon as the byte it needs
/// arrives: a limit is checked on the length field, before any of the payload is buffered, and
/// invalid UTF-8 is caught on the first bad byte even in the middle of a fragment.
///
/// At most one frame's header (14 octets) and payload (at most `maxFramePayload` octets) are
/// buffered. After an error the parser stays failed and reports the same error again.
public struct WebSocketFrameParser: Sendable {
    /// The fields of the first two header octets, once they are known to be acceptable.
    struct Header: Sendable {
        var fin: Bool
        var opcode: WebSocketOpcode
        var masked: Bool
        /// The stream offset of the second header octet, where the length is.
        var lengthOffset: Int
    }

    /// Where the parser is inside the current frame.
    enum State: Sendable {
        /// Waiting for the first header octet, or for the second after `first`.
        case waitingForHeader(first: UInt8?)
        /// Reading a 16- or 64-bit extended length: `remaining` octets to go.
        case waitingForExtendedLength(Header, value: UInt64, remaining: Int)
        /// Reading the 4-octet masking key.
        case waitingForMask(Header, length: Int, key: [UInt8])
        /// Reading the payload, unmasking it as it arrives.
        case waitingForPayload(Header, length: Int, key: WebSocketMaskingKey?, payload: [UInt8])
        /// A protocol error was found; nothing more is parsed.
        case failed(WebSocketProtocolError)
    }

    /// The role of the endpoint that receives these frames: a server expects masked frames,
    /// a client unmasked ones (§5.1).
    public let role: WebSocketRole
    /// The largest payload accepted in one frame.
    public let maxFramePayload: Int
    /// The largest message accepted, all fragments together.
    public let maxMessageSize: Int

    private var state: State = .waitingForHeader(first: nil)
    /// The stream offset of the next byte.
    public private(set) var offset = 0
    /// The opcode and size so far of an unfinished fragmented message.
    private var fragmented: (opcode: WebSocketOpcode, size: UInt64)?
    /// Validates the current text message across its fragments.
    private var utf8 = UTF8Validator()

    /// A parser for frames received by `role`, with size limits in octets.
    public init(role: WebSocketRole, maxFramePayload: Int = 1 << 20, maxMessageSize: Int = 1 << 20) {
        precondition(maxFramePayload >= WebSocket.maxControlPayload, "frames must be able to carry control payloads")
        self.role = role
        self.maxFramePayload = maxFramePayload
        self.maxMessageSize = maxMessageSize
    }

    /// How many payload octets are held, waiting for the rest of their frame (header fields
    /// are decoded as they arrive and take no buffer).
    public var bufferedByteCount: Int {
        switch state {
        case .waitingForHeader, .waitingForExtendedLength, .waitingForMask, .failed: 0
        case .waitingForPayload(_, _, _, let payload): payload.count
        }
    }

    /// The error the parser stopped at, if any.
    public var error: WebSocketProtocolError? {
        if case .failed(let error) = state { return error }
        return nil
    }

    /// Parses `bytes`, calling `onFrame` for every frame completed, in order; throws at the
    /// first protocol error (frames completed before it have been handed over).
    public mutating func parse<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, onFrame: (WebSocketFrame) -> Void
    ) throws(WebSocketProtocolError) {
        if case .failed(let error) = state { throw error }
        var index = bytes.startIndex
        while index != bytes.endIndex {
            do throws(WebSocketProtocolError) {
                if case .waitingForPayload(let header, let length, let key, var payload) = state {
                    // Take as much of the payload as is here in one piece.
                    state = .waitingForHeader(first: nil)  // let `payload` be uniquely referenced
                    let available = bytes.distance(from: index, to: bytes.endIndex)
                    let end = bytes.index(index, offsetBy: min(available, length - payload.count))
                    try appendPayload(bytes[index..<end], to: &payload, header: header, key: key)
                    index = end
                    state = .waitingForPayload(header, length: length, key: key, payload: payload)
                } else {
                    try step(bytes[index])
                    index = bytes.index(after: index)
                }
                if let frame = try completedFrame() { onFrame(frame) }
            } catch {
                state = .failed(error)
                throw error
            }
        }
    }

    /// Parses `bytes` and returns the frames completed; throws at the first protocol error.
    public mutating func parse<Bytes: Collection<UInt8>>(
        _ bytes: Bytes
    ) throws(WebSocketProtocolError) -> [WebSocketFrame] {
        var frames: [WebSocketFrame] = []
        try parse(bytes) { frames.append($0) }
        return frames
    }

    // MARK: - Header

    /// Consumes one header octet.
    private mutating func step(_ byte: UInt8) throws(WebSocketProtocolError) {
        defer { offset += 1 }
        switch state {
        case .waitingForHeader(nil):
            try checkFirstOctet(byte)
            state = .waitingForHeader(first: byte)
        case .waitingForHeader(let first?):
            let header = Header(fin: first & 0x80 != 0, opcode: WebSocketOpcode(rawValue: first),
                                masked: byte & 0x80 != 0, lengthOffset: offset)
            // §5.1: clients mask every frame, servers none.
            switch (role, header.masked) {
            case (.server, false): throw WebSocketProtocolError(.unmaskedFrameFromClient, offset: offset)
            case (.client, true): throw WebSocketProtocolError(.maskedFrameFromServer, offset: offset)
            case (.server, true), (.client, false): break
            }
            switch byte & 0x7F {
            case 126: state = .waitingForExtendedLength(header, value: 0, remaining: 2)
            case 127: state = .waitingForExtendedLength(header, value: 0, remaining: 8)
            case let length: try lengthKnown(header, length: UInt64(length))
            }
        case .waitingForExtendedLength(let header, let value, let remaining):
            // §5.2: "the most significant bit MUST be 0" in the 64-bit form.
            if remaining == 8 && byte & 0x80 != 0 { throw WebSocketProtocolError(.lengthTopBitSet, offset: offset) }
            let value = value << 8 | UInt64(byte)
            if remaining > 1 {
                state = .waitingForExtendedLength(header, value: value, remaining: remaining - 1)
            } else {
                // A longer encoding than needed is accepted (the minimal-encoding rule binds senders).
                try lengthKnown(header, length: value)
            }
        case .waitingForMask(let header, let length, var key):
            key.append(byte)
            if key.count < 4 {
                state = .waitingForMask(header, length: length, key: key)
            } else {
                let maskingKey = WebSocketMaskingKey(key[0], key[1], key[2], key[3])
                state = .waitingForPayload(header, length: length, key: maskingKey, payload: [])
                reservePayload(length)
            }
        case .waitingForPayload, .failed:
            preconditionFailure("payload and failure are handled by parse(_:onFrame:)")
        }
    }

    /// The checks that the first octet alone allows: RSV bits, opcode, fragmentation (§5.2, §5.4, §5.5).
    private func checkFirstOctet(_ byte: UInt8) throws(WebSocketProtocolError) {
        let fin = byte & 0x80 != 0
        if byte & 0x70 != 0 { throw WebSocketProtocolError(.reservedBitsSet(byte & 0x70), offset: offset) }
        let opcode = WebSocketOpcode(rawValue: byte)
        switch opcode {
        case .reserved(let value):
            throw WebSocketProtocolError(.reservedOpcode(value), offset: offset)
        case .close, .ping, .pong:
            if !fin { throw WebSocketProtocolError(.fragmentedControlFrame(opcode), offset: offset) }
        case .continuation:
            if fragmented == nil { throw WebSocketProtocolError(.continuationWithoutStart, offset: offset) }
        case .text, .binary:
            if fragmented != nil {
                throw WebSocketProtocolError(.dataFrameInsideFragmentedMessage(opcode), offset: offset)
            }
        }
    }

    /// Checks the payload length against the control-frame rule and the limits, before any of
    /// the payload is buffered, and moves on to the masking key or the payload.
    private mutating func lengthKnown(_ header: Header, length: UInt64) throws(WebSocketProtocolError) {
        if header.opcode.isControl {
            if length > UInt64(WebSocket.maxControlPayload) {
                throw WebSocketProtocolError(.controlFrameTooLong(length), offset: header.lengthOffset)
            }
        } else {
            if length > UInt64(maxFramePayload) {
                throw WebSocketProtocolError(.frameTooBig(length: length, limit: maxFramePayload),
                                             offset: header.lengthOffset)
            }
            let size = (fragmented?.size ?? 0) + length
            if size > UInt64(maxMessageSize) {
                throw WebSocketProtocolError(.messageTooBig(size: size, limit: maxMessageSize),
                                             offset: header.lengthOffset)
            }
        }
        let length = Int(length)
        if header.masked {
            state = .waitingForMask(header, length: length, key: [])
        } else {
            state = .waitingForPayload(header, length: length, key: nil, payload: [])
            reservePayload(length)
        }
    }

    private mutating func reservePayload(_ length: Int) {
        guard case .waitingForPayload(let header, _, let key, var payload) = state else { return }
        state = .waitingForHeader(first: nil)
        // Announced lengths are not trusted with memory: reserve at most 64 KiB ahead of the data.
        payload.reserveCapacity(min(length, 1 << 16))
        state = .waitingForPayload(header, length: length, key: key, payload: payload)
    }

    // MARK: - Payload

    /// Whether the frame with this header carries (part of) a text message.
    private func isText(_ header: Header) -> Bool {
        header.opcode == .text || (header.opcode == .continuation && fragmented?.opcode == .text)
    }

    /// Unmasks a piece of payload, validates it as UTF-8 when it is text, and appends it.
    private mutating func appendPayload<Piece: Collection<UInt8>>(
        _ piece: Piece, to payload: inout [UInt8], header: Header, key: WebSocketMaskingKey?
    ) throws(WebSocketProtocolError) {
        var chunk = Array(piece)
        key?.apply(to: &chunk, startingAt: payload.count)
        if isText(header) {
            let before = utf8.count
            if case .invalid(let at) = utf8.validate(chunk) {
                throw WebSocketProtocolError(.invalidUTF8InText, offset: offset + (at - before))
            }
        }
        payload += chunk
        offset += chunk.count
    }

    /// The frame just completed, after the checks that need its whole payload; nil when the
    /// current frame is unfinished.
    private mutating func completedFrame() throws(WebSocketProtocolError) -> WebSocketFrame? {
        guard case .waitingForPayload(let header, let length, let key, let payload) = state,
              payload.count == length else { return nil }
        let payloadOffset = offset - length
        switch header.opcode {
        case .text, .binary, .continuation:
            let opcode = header.opcode == .continuation ? fragmented?.opcode ?? .binary : header.opcode
            if header.fin {
                // §8.1: a text message must end on a character boundary.
                if opcode == .text, case .invalid(let at) = utf8.finish() {
                    throw WebSocketProtocolError(.invalidUTF8InText, offset: offset - (utf8.count - at))
                }
                fragmented = nil
                utf8.reset()
            } else {
                fragmented = (opcode, (fragmented?.size ?? 0) + UInt64(length))
            }
        case .close:
            try checkCloseBody(payload, at: payloadOffset)
        case .ping, .pong, .reserved:
            break
        }
        state = .waitingForHeader(first: nil)
        return WebSocketFrame(fin: header.fin, opcode: header.opcode, maskingKey: key, payload: payload)
    }

    /// A close body is empty, or a valid status code and a UTF-8 reason (§5.5.1, §7.4).
    private func checkCloseBody(_ body: [UInt8], at bodyOffset: Int) throws(WebSocketProtocolError) {
        guard !body.isEmpty else { return }
        guard body.count >= 2 else { throw WebSocketProtocolError(.closeBodyTooShort, offset: bodyOffset) }
        let code = UInt16(body[0]) << 8 | UInt16(body[1])
        guard WebSocketCloseCode(code).isValidOnWire else {
            throw WebSocketProtocolError(.invalidCloseCode(code), offset: bodyOffset)
        }
        var reason = UTF8Validator()
        reason.validate(body[2...])
        if case .invalid(let at) = reason.finish() {
            throw WebSocketProtocolError(.invalidUTF8InCloseReason, offset: bodyOffset + 2 + at)
        }
    }
}
