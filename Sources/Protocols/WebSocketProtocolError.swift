/// A violation of RFC 6455 found in received bytes, with the close code to answer it with and
/// the byte offset (from the first byte after the handshake) where it was found.
public struct WebSocketProtocolError: Error, Sendable, Equatable {
    /// What is wrong.
    public enum Kind: Sendable, Equatable {
        /// RSV1-3 set (the bits as in the first header octet, e.g. 0x40) with no extension
        /// negotiated (§5.2).
        case reservedBitsSet(UInt8)
        /// An opcode reserved for future use, 0x3-0x7 or 0xB-0xF (§5.2).
        case reservedOpcode(UInt8)
        /// A client sent an unmasked frame; a server must fail the connection (§5.1).
        case unmaskedFrameFromClient
        /// A server sent a masked frame; a client must fail the connection (§5.1).
        case maskedFrameFromServer
        /// A control frame with a payload over 125 octets (§5.5).
        case controlFrameTooLong(UInt64)
        /// A control frame without FIN: control frames cannot be fragmented (§5.5).
        case fragmentedControlFrame(WebSocketOpcode)
        /// A 64-bit payload length with its most significant bit set (§5.2).
        case lengthTopBitSet
        /// A continuation frame with no fragmented message to continue (§5.4).
        case continuationWithoutStart
        /// A new text or binary frame while a fragmented message is unfinished (§5.4).
        case dataFrameInsideFragmentedMessage(WebSocketOpcode)
        /// A close frame with a 1-octet body: too short for a status code (§5.5.1).
        case closeBodyTooShort
        /// A close frame carrying a status code that may not be sent (§7.4).
        case invalidCloseCode(UInt16)
        /// A text message that is not valid UTF-8 (§5.6, §8.1).
        case invalidUTF8InText
        /// A close reason that is not valid UTF-8 (§5.5.1).
        case invalidUTF8InCloseReason
        /// A frame whose payload length is beyond the configured limit (§7.4.1, 1009).
        case frameTooBig(length: UInt64, limit: Int)
        /// A message whose fragments add up beyond the configured limit (§7.4.1, 1009).
        case messageTooBig(size: UInt64, limit: Int)
    }

    /// What is wrong.
    public var kind: Kind
    /// The offset of the offending byte in the received stream.
    public var offset: Int

    /// An error of `kind` found at `offset`.
    public init(_ kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// The status code to put in the Close frame that fails the connection (§7.4.1): 1007 for
    /// invalid UTF-8, 1009 for size limits, 1002 for everything else.
    public var closeCode: WebSocketCloseCode {
        switch kind {
        case .invalidUTF8InText, .invalidUTF8InCloseReason: .invalidFramePayloadData
        case .frameTooBig, .messageTooBig: .messageTooBig
        case .reservedBitsSet, .reservedOpcode, .unmaskedFrameFromClient, .maskedFrameFromServer,
             .controlFrameTooLong, .fragmentedControlFrame, .lengthTopBitSet, .continuationWithoutStart,
             .dataFrameInsideFragmentedMessage, .closeBodyTooShort, .invalidCloseCode: .protocolError
        }
    }
}
