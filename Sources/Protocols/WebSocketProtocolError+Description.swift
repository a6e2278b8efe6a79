/// The protocol error as one line for people and traces: what was wrong and where.
extension WebSocketProtocolError: CustomStringConvertible {
    /// `offset 1: a client sent an unmasked frame (RFC 6455 §5.1)`.
    public var description: String {
        "offset \(offset): \(summary)"
    }

    /// What is wrong, with the section of RFC 6455 that says so.
    public var summary: String {
        switch kind {
        case .reservedBitsSet(let bits):
            "reserved bits set without an extension (0x\(String(bits, radix: 16)), §5.2)"
        case .reservedOpcode(let value):
            "reserved opcode 0x\(String(value, radix: 16)) (§5.2)"
        case .unmaskedFrameFromClient:
            "a client sent an unmasked frame (§5.1)"
        case .maskedFrameFromServer:
            "a server sent a masked frame (§5.1)"
        case .controlFrameTooLong(let length):
            "a control frame of \(length) bytes, over 125 (§5.5)"
        case .fragmentedControlFrame(let opcode):
            "a fragmented control frame, opcode 0x\(String(opcode.rawValue, radix: 16)) (§5.5)"
        case .lengthTopBitSet:
            "a 64-bit length with its top bit set (§5.2)"
        case .continuationWithoutStart:
            "a continuation frame with no message to continue (§5.4)"
        case .dataFrameInsideFragmentedMessage(let opcode):
            "a new data frame, opcode 0x\(String(opcode.rawValue, radix: 16)), inside a fragmented message (§5.4)"
        case .closeBodyTooShort:
            "a close frame with a 1-byte body (§5.5.1)"
        case .invalidCloseCode(let code):
            "close code \(code) may not be sent (§7.4)"
        case .invalidUTF8InText:
            "a text message that is not UTF-8 (§8.1)"
        case .invalidUTF8InCloseReason:
            "a close reason that is not UTF-8 (§5.5.1)"
        case .frameTooBig(let length, let limit):
            "a frame of \(length) bytes, over the limit of \(limit) (§7.4.1, 1009)"
        case .messageTooBig(let size, let limit):
            "a message of \(size) bytes, over the limit of \(limit) (§7.4.1, 1009)"
        }
    }
}
