/// Exact decimal quantities for the scenario language and the text trace format: durations in
/// nanoseconds, probabilities in parts per million, bandwidths in bits per second.
///
/// Decimals are parsed digit by digit into integers with overflow checks; nothing passes
/// through floating point, so `0.1s` is exactly 100,000,000 ns.
public enum Quantity {
    /// `digits[.digits]` times `scale`, or nil when the text is not such a decimal, the result
    /// overflows, or the result is not a whole number (`0.5` at scale 1).
    public static func decimal(_ text: Substring, scale: Int64) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        guard !whole.isEmpty, whole.utf8.allSatisfy(isDigit), fraction.utf8.allSatisfy(isDigit) else { return nil }
        if parts.count > 1 && fraction.isEmpty { return nil }
        guard whole.utf8.count <= 19, fraction.utf8.count <= 18 else { return nil }
        guard let wholeValue = Int64(whole) else { return nil }
        var result = wholeValue.multipliedReportingOverflow(by: scale)
        guard !result.overflow else { return nil }
        if fraction.isEmpty { return result.partialValue }
        var denominator: Int64 = 1
        for _ in 0..<fraction.utf8.count { denominator *= 10 }
        guard let fractionValue = Int64(fraction) else { return nil }
        let scaled = fractionValue.multipliedReportingOverflow(by: scale)
        guard !scaled.overflow, scaled.partialValue % denominator == 0 else { return nil }
        result = result.partialValue.addingReportingOverflow(scaled.partialValue / denominator)
        return result.overflow ? nil : result.partialValue
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// `0`, or a decimal followed by `ns`, `us`, `ms` or `s`: nanoseconds.
    public static func duration(_ text: Substring) -> Int64? {
        if text == "0" { return 0 }
        for (unit, scale) in [("ns", Int64(1)), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000)]
        where text.hasSuffix(unit) {
            return decimal(text.dropLast(unit.count), scale: scale)
        }
        return nil
    }

    /// The shortest exact spelling of a non-negative duration: `0`, `1500ms`, `2s`, `7ns`.
    public static func durationText(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0" }
        for (unit, scale) in [("s", Int64(1_000_000_000)), ("ms", 1_000_000), ("us", 1_000)]
        where nanoseconds % scale == 0 {
            return "\(nanoseconds / scale)\(unit)"
        }
        return "\(nanoseconds)ns"
    }

    /// `1%`, `0.25%`, `500ppm` or a plain fraction `0.01`: parts per million (not range-checked).
    public static func probability(_ text: Substring) -> Int64? {
        if text.hasSuffix("%") { return decimal(text.dropLast(), scale: 10_000) }
        if text.hasSuffix("ppm") { return decimal(text.dropLast(3), scale: 1) }
        return decimal(text, scale: 1_000_000)
    }

    /// A probability as an exact percentage: `10%`, `0.0001%`.
    public static func probabilityText(_ ppm: Int) -> String {
        fixedPoint(Int64(ppm), decimals: 4) + "%"
    }

    /// Bits per second: a decimal, an optional `k`, `m` or `g` (powers of 1000), an optional
    /// `bit` or `bps`.
    public static func bandwidth(_ text: Substring) -> Int64? {
        var rest = text
        if rest.hasSuffix("bit") || rest.hasSuffix("bps") { rest = rest.dropLast(3) }
        var scale: Int64 = 1
        if let last = rest.last, let multiplier = ["k": Int64(1_000), "m": 1_000_000, "g": 1_000_000_000][String(last)] {
            scale = multiplier
            rest = rest.dropLast()
        }
        return decimal(rest, scale: scale)
    }

    /// The shortest exact spelling of a bandwidth: `10mbit`, `64kbit`, `1234bit`.
    public static func bandwidthText(_ bitsPerSecond: Int64) -> String {
        for (unit, scale) in [("gbit", Int64(1_000_000_000)), ("mbit", 1_000_000), ("kbit", 1_000)]
        where bitsPerSecond != 0 && bitsPerSecond % scale == 0 {
            return "\(bitsPerSecond / scale)\(unit)"
        }
        return "\(bitsPerSecond)bit"
    }

    /// `value / 10^decimals` written exactly, without trailing zeros: `fixedPoint(12500, 4)` is `1.25`.
    public static func fixedPoint(_ value: Int64, decimals: Int) -> String {
        var denominator: Int64 = 1
        for _ in 0..<decimals { denominator *= 10 }
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        let whole = magnitude / UInt64(denominator)
        var fraction = String(magnitude % UInt64(denominator))
        if fraction == "0" { return sign + String(whole) }
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(whole) + "." + fraction
    }
}
