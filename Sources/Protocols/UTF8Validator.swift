/// Incremental UTF-8 validation (RFC 3629 §4), fed in arbitrary pieces.
///
/// The validator accepts exactly the well-formed byte sequences of RFC 3629 §4 (the same table
/// as Unicode's "Well-Formed UTF-8 Byte Sequences"): it rejects overlong encodings (`C0 AF`),
/// UTF-16 surrogates encoded as UTF-8 (`ED A0 80`), code points above U+10FFFF (`F4 90 80 80`)
/// and the bytes `C0`, `C1`, `F5`...`FF`, which never occur. It rejects a byte as soon as no
/// well-formed sequence can continue with it, so a WebSocket endpoint fails a text message on
/// the first bad byte even in the middle of a fragment (RFC 6455 §8.1).
///
/// Once invalid, the validator stays invalid and ignores further input.
public struct UTF8Validator: Sendable, Equatable {
    /// What the validator knows about the bytes it has seen.
    public enum Status: Sendable, Equatable {
        /// Everything so far is well-formed and ends on a character boundary.
        case complete
        /// Everything so far is a prefix of well-formed UTF-8, but a character is unfinished.
        case incomplete
        /// The byte at `offset` (counted from the first byte ever fed) cannot be part of a
        /// well-formed sequence. For input that ends inside a character (see `finish()`), the
        /// offset is the input's length: the place where a continuation byte was missing.
        case invalid(offset: Int)
    }

    /// The status after the bytes fed so far.
    public private(set) var status: Status = .complete
    /// How many bytes have been fed (including any after the first invalid one).
    public private(set) var count = 0
    /// Continuation bytes still needed by the current character.
    private var pending = 0
    /// The range allowed for the next continuation byte (narrower than 80...BF right after some
    /// lead bytes, which is how overlongs, surrogates and values above U+10FFFF are excluded).
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF

    /// A validator that has seen no bytes.
    public init() {}

    /// Whether `bytes` are well-formed UTF-8 as a whole.
    public static func isValid<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        var validator = UTF8Validator()
        validator.validate(bytes)
        return validator.finish() == .complete
    }

    /// Feeds the next piece of input and returns the status after it.
    @discardableResult
    public mutating func validate<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Status {
        for byte in bytes {
            defer { count += 1 }
            if case .invalid = status { continue }
            if !accept(byte) { status = .invalid(offset: count) }
        }
        if case .invalid = status { return status }
        status = pending == 0 ? .complete : .incomplete
        return status
    }

    /// Declares the end of input: an unfinished character becomes invalid at the end.
    public mutating func finish() -> Status {
        if status == .incomplete { status = .invalid(offset: count) }
        return status
    }

    /// Starts over, as if no bytes had been fed.
    public mutating func reset() {
        self = UTF8Validator()
    }

    /// One step of the RFC 3629 §4 grammar; `false` when `byte` cannot continue the input.
    private mutating func accept(_ byte: UInt8) -> Bool {
        if pending > 0 {
            guard byte >= low && byte <= high else { return false }
            pending -= 1
            (low, high) = (0x80, 0xBF)
            return true
        }
        switch byte {
        case 0x00...0x7F: return true                                  // UTF8-1
        case 0xC2...0xDF: pending = 1                                   // UTF8-2
        case 0xE0: pending = 2; low = 0xA0                              // no overlong 3-byte form
        case 0xE1...0xEC, 0xEE...0xEF: pending = 2
        case 0xED: pending = 2; high = 0x9F                             // no surrogates D800-DFFF
        case 0xF0: pending = 3; low = 0x90                              // no overlong 4-byte form
        case 0xF1...0xF3: pending = 3
        case 0xF4: pending = 3; high = 0x8F                             // nothing above U+10FFFF
        default: return false                                           // 80-C1, F5-FF never lead
        }
        return true
    }
}
