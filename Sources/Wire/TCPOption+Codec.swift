extension TCPOption {
    /// The option kind octet (RFC 9293 §3.2).
    public var kind: UInt8 {
        switch self {
        case .endOfList: 0
        case .noOperation: 1
        case .maximumSegmentSize: 2
        case .windowScale: 3
        case .sackPermitted: 4
        case .sack: 5
        case .timestamps: 8
        case .unknown(let kind, _): kind
        }
    }

    /// Octets on the wire, including kind and length.
    public var encodedLength: Int {
        switch self {
        case .endOfList, .noOperation: 1
        case .maximumSegmentSize: 4
        case .windowScale: 3
        case .sackPermitted: 2
        case .sack(let blocks): 2 + 8 * blocks.count
        case .timestamps: 10
        case .unknown(_, let data): 2 + data.count
        }
    }

    /// Appends the option's wire form.
    public func emit(into buffer: inout [UInt8]) {
        switch self {
        case .endOfList, .noOperation:
            buffer.append(kind)
        case .maximumSegmentSize(let mss):
            buffer += [kind, 4]
            buffer.appendU16(mss)
        case .windowScale(let shift):
            buffer += [kind, 3, shift]
        case .sackPermitted:
            buffer += [kind, 2]
        case .sack(let blocks):
            buffer += [kind, UInt8(truncatingIfNeeded: encodedLength)]
            for block in blocks {
                buffer.appendU32(block.left.rawValue)
                buffer.appendU32(block.right.rawValue)
            }
        case .timestamps(let value, let echoReply):
            buffer += [kind, 10]
            buffer.appendU32(value)
            buffer.appendU32(echoReply)
        case .unknown(let kind, let data):
            buffer += [kind, UInt8(truncatingIfNeeded: encodedLength)]
            buffer += data
        }
    }

    /// Parses the options area of a TCP header (RFC 9293 §3.2): returns the options in wire order
    /// and the octets after an end-of-list option.
    ///
    /// Errors: a missing length octet or a length past the end of the header (`.optionOverrun`),
    /// a length below 2 or wrong for MSS (4), window scale (3), SACK-permitted (2), SACK (2+8n,
    /// n ≥ 1; RFC 2018 §3) or timestamps (10; RFC 7323 §3.2) (`.badOptionLength`).
    static func parseList(_ o: ArraySlice<UInt8>) throws(WireError) -> (options: [TCPOption], padding: [UInt8]) {
        var options: [TCPOption] = []
        var i = o.startIndex
        while i < o.endIndex {
            let kind = o[i]
            let field = "TCP.option[\(options.count)].length"
            if kind == 0 {
                options.append(.endOfList)
                return (options, Array(o[(i + 1)...]))
            }
            if kind == 1 {
                options.append(.noOperation)
                i += 1
                continue
            }
            guard i + 1 < o.endIndex else {
                throw WireError(.optionOverrun, field: field, offset: i + 1,
                                detail: "option kind \(kind) has no length octet before the end of the header")
            }
            let length = Int(o[i + 1])
            guard length >= 2 else {
                throw WireError(.badOptionLength, field: field, offset: i + 1,
                                detail: "length \(length) is below the minimum of 2")
            }
            guard i + length <= o.endIndex else {
                throw WireError(.optionOverrun, field: field, offset: i + 1,
                                detail: "length \(length) runs \(i + length - o.endIndex) bytes past the header")
            }
            func expect(_ valid: Bool, _ rule: String) throws(WireError) {
                guard valid else {
                    throw WireError(.badOptionLength, field: field, offset: i + 1,
                                    detail: "length \(length) for option kind \(kind) must be \(rule)")
                }
            }
            let d = i + 2
            switch kind {
            case 2:
                try expect(length == 4, "4")
                options.append(.maximumSegmentSize(o.u16(d)))
            case 3:
                try expect(length == 3, "3")
                options.append(.windowScale(o[d]))
            case 4:
                try expect(length == 2, "2")
                options.append(.sackPermitted)
            case 5:
                try expect(length >= 10 && (length - 2) % 8 == 0, "2 + 8n with n ≥ 1")
                var blocks: [SACKBlock] = []
                var j = d
                while j + 8 <= i + length {
                    blocks.append(SACKBlock(left: SequenceNumber(o.u32(j)), right: SequenceNumber(o.u32(j + 4))))
                    j += 8
                }
                options.append(.sack(blocks))
            case 8:
                try expect(length == 10, "10")
                options.append(.timestamps(value: o.u32(d), echoReply: o.u32(d + 4)))
            default:
                options.append(.unknown(kind: kind, data: Array(o[d..<(i + length)])))
            }
            i += length
        }
        return (options, [])
    }
}
