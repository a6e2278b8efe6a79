/// The 32-bit key a client XORs its payloads with (RFC 6455 §5.3).
///
/// Octet i of the payload is XORed with octet (i mod 4) of the key, so masking and unmasking
/// are the same operation. Masking is not encryption: it stops a hostile page from making a
/// client emit bytes that a confused intermediary could take for HTTP (§10.3).
public struct WebSocketMaskingKey: Sendable, Hashable {
    /// The four key octets in wire order.
    public let bytes: (UInt8, UInt8, UInt8, UInt8)

    /// A key from its four octets in wire order, e.g. `37 fa 21 3d` in RFC 6455 §5.7.
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        bytes = (b0, b1, b2, b3)
    }

    /// A key from the 32 bits of `value`, most significant octet first.
    public init(_ value: UInt32) {
        self.init(UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
                  UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
    }

    /// The four octets as an array, in wire order.
    public var array: [UInt8] { [bytes.0, bytes.1, bytes.2, bytes.3] }

    /// The key octet that applies to payload octet `index` (§5.3: `j = i MOD 4`).
    public subscript(index: Int) -> UInt8 {
        switch index & 3 {
        case 0: bytes.0
        case 1: bytes.1
        case 2: bytes.2
        default: bytes.3
        }
    }

    /// XORs `payload` in place, its first octet being octet `offset` of the whole payload.
    ///
    /// The offset lets a parser unmask a payload piece by piece as it arrives.
    public func apply(to payload: inout [UInt8], startingAt offset: Int = 0) {
        for index in payload.indices { payload[index] ^= self[offset + index - payload.startIndex] }
    }

    /// `payload` XORed with the key.
    public func applied<Bytes: Sequence<UInt8>>(to payload: Bytes) -> [UInt8] {
        var result = Array(payload)
        apply(to: &result)
        return result
    }

    public static func == (lhs: WebSocketMaskingKey, rhs: WebSocketMaskingKey) -> Bool {
        lhs.array == rhs.array
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(array)
    }
}

/// Where a client's masking keys come from (RFC 6455 §5.3: a fresh, unpredictable key for
/// every frame). The caller supplies it, so that a seeded run masks with the same keys.
public protocol WebSocketMaskingKeySource: Sendable {
    /// The key for the next frame.
    mutating func nextMaskingKey() -> WebSocketMaskingKey
}

/// Masking keys drawn from any random number generator: each key is the low 32 bits of one
/// `next()`, most significant octet first, so the keys depend only on the generator's outputs.
public struct GeneratorMaskingKeys<Generator: RandomNumberGenerator & Sendable>: WebSocketMaskingKeySource {
    /// The generator the keys are drawn from.
    public var generator: Generator

    /// Keys drawn from `generator`.
    public init(_ generator: Generator) {
        self.generator = generator
    }

    public mutating func nextMaskingKey() -> WebSocketMaskingKey {
        WebSocketMaskingKey(UInt32(truncatingIfNeeded: generator.next() as UInt64))
    }
}
