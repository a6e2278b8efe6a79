/// Incremental decoder for heartbeat frames (`HeartbeatFrame`): bytes in any slices, frames out.
///
/// It holds at most one header and one payload of at most `maxPayloadLength` bytes: a larger
/// declared length fails before any payload byte is kept. After an error it stays failed and
/// produces nothing more.
public struct HeartbeatFrameDecoder: Sendable {
    /// What one `feed` or `finish` call produced: frames in order, then the error if decoding stopped.
    public struct Result: Sendable, Hashable {
        public var frames: [HeartbeatFrame] = []
        public var error: HeartbeatFrameError?

        public init(frames: [HeartbeatFrame] = [], error: HeartbeatFrameError? = nil) {
            self.frames = frames
            self.error = error
        }
    }

    private enum State: Sendable {
        case header
        case payload(kind: HeartbeatFrame.Kind, remaining: Int)
        case failed(HeartbeatFrameError)
    }

    /// The largest payload accepted.
    public let maxPayloadLength: Int
    private var state = State.header
    private var header: [UInt8] = []
    private var payload: [UInt8] = []
    private var frameStart = 0
    /// The number of bytes decoded so far: the offset of the next byte fed.
    public private(set) var bytesConsumed = 0

    public init(maxPayloadLength: Int = 64 * 1024) {
        self.maxPayloadLength = maxPayloadLength
    }

    /// The bytes held now: a partial header and a partial payload.
    public var bufferedByteCount: Int { header.count + payload.count }

    /// The error decoding stopped at, if any.
    public var error: HeartbeatFrameError? {
        if case .failed(let error) = state { return error }
        return nil
    }

    /// Decodes the next bytes of the stream.
    public mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Result {
        let input = Array(bytes)
        var result = Result()
        var index = 0
        while index < input.count {
            switch state {
            case .failed:
                return result
            case .header:
                if header.isEmpty {
                    frameStart = bytesConsumed
                    guard HeartbeatFrame.Kind(rawValue: input[index]) != nil else {
                        return fail(.unknownType(input[index]), result)
                    }
                }
                header.append(input[index])
                index += 1
                bytesConsumed += 1
                if header.count == HeartbeatFrame.headerLength {
                    if let error = startPayload(into: &result) {
                        return fail(error, result)
                    }
                }
            case .payload(let kind, let remaining):
                let count = min(remaining, input.count - index)
                payload.append(contentsOf: input[index..<(index + count)])
                index += count
                bytesConsumed += count
                if count == remaining {
                    complete(kind, into: &result)
                } else {
                    state = .payload(kind: kind, remaining: remaining - count)
                }
            }
        }
        return result
    }

    /// Ends the stream: a partial frame is a `truncatedFrame` error.
    public mutating func finish() -> Result {
        switch state {
        case .failed:
            return Result()
        case .header where header.isEmpty:
            return Result()
        case .header, .payload:
            return fail(.truncatedFrame, Result())
        }
    }

    /// The header is complete: check the length and start the payload (or finish an empty frame).
    private mutating func startPayload(into result: inout Result) -> HeartbeatFrameError.Kind? {
        // The type byte was checked when it arrived.
        let kind = HeartbeatFrame.Kind(rawValue: header[0]) ?? .data
        let length = header[1...4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard UInt64(length) <= UInt64(max(0, maxPayloadLength)) else {
            return .payloadTooLong(length: length, limit: maxPayloadLength)
        }
        header = []
        if length == 0 {
            complete(kind, into: &result)
        } else {
            state = .payload(kind: kind, remaining: Int(length))
        }
        return nil
    }

    private mutating func complete(_ kind: HeartbeatFrame.Kind, into result: inout Result) {
        result.frames.append(HeartbeatFrame(kind: kind, payload: payload))
        payload = []
        header = []
        state = .header
    }

    private mutating func fail(_ kind: HeartbeatFrameError.Kind, _ result: Result) -> Result {
        let error = HeartbeatFrameError(kind: kind, offset: frameStart)
        state = .failed(error)
        header = []
        payload = []
        var result = result
        result.error = error
        return result
    }
}
