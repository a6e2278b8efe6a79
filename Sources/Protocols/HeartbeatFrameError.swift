/// Why a heartbeat frame could not be decoded, and where.
public struct HeartbeatFrameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of error.
    public enum Kind: Sendable, Hashable {
        /// The type byte is not DATA, PING or PONG.
        case unknownType(UInt8)
        /// The declared payload length exceeds the decoder's limit; nothing of it was buffered.
        case payloadTooLong(length: UInt32, limit: Int)
        /// The stream ended inside a frame.
        case truncatedFrame
    }

    public let kind: Kind
    /// The stream offset of the first byte (the type byte) of the offending frame.
    public let offset: Int

    public init(kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String {
        switch kind {
        case .unknownType(let type): return "offset \(offset): unknown frame type \(type)"
        case .payloadTooLong(let length, let limit):
            return "offset \(offset): payload length \(length) exceeds the limit of \(limit) bytes"
        case .truncatedFrame: return "offset \(offset): stream ended inside a frame"
        }
    }
}
