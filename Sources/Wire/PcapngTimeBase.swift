/// How one interface's timestamps become nanoseconds since the Unix epoch: its `if_tsresol` and
/// `if_tsoffset` options (draft-ietf-opsawg-pcapng §4.2).
///
/// A resolution byte with the top bit clear means units of 10^-n seconds, with it set 2^-n seconds;
/// without the option, units are microseconds (10^-6). The offset is whole seconds added to every
/// timestamp. Results that do not fit in 64 bits wrap, as the classic pcap reader's do.
struct PcapngTimeBase: Hashable, Sendable {
    /// The `if_tsresol` byte.
    var resolution: UInt8 = 6
    /// The `if_tsoffset` value, in seconds.
    var offsetSeconds: Int64 = 0

    static let nanosecondsPerSecond: UInt64 = 1_000_000_000

    /// The time, in nanoseconds since the epoch, of a timestamp of `units`.
    func nanoseconds(_ units: UInt64) -> UInt64 {
        let exponent = Int(resolution & 0x7F)
        let scaled: UInt64
        if resolution & 0x80 == 0 {
            if exponent <= 9 {
                scaled = units &* Self.powerOfTen(9 - exponent)
            } else if exponent - 9 <= 19 {
                scaled = units / Self.powerOfTen(exponent - 9)
            } else {
                scaled = 0
            }
        } else {
            // Whole seconds, then the fraction below a second: (fraction × 10^9) >> n in 128 bits.
            let seconds = units >> exponent
            let fraction = exponent >= 64 ? units : units & ((1 << exponent) - 1)
            let (high, low) = fraction.multipliedFullWidth(by: Self.nanosecondsPerSecond)
            let below: UInt64 = exponent >= 64 ? high >> (exponent - 64) : (low >> exponent) | (high << (64 - exponent))
            scaled = seconds &* Self.nanosecondsPerSecond &+ below
        }
        return scaled &+ UInt64(bitPattern: offsetSeconds &* Int64(Self.nanosecondsPerSecond))
    }

    /// 10^n for n in 0...19.
    static func powerOfTen(_ n: Int) -> UInt64 {
        var value: UInt64 = 1
        for _ in 0..<n { value &*= 10 }
        return value
    }
}
