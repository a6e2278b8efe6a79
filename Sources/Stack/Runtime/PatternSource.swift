import Sockets
import Wire

/// `PayloadPattern` as a stream payloads can describe: the bytes of a pattern send are made when
/// a segment carrying them is written into its frame, and never held.
enum PatternSource: PayloadSource {
    static func withBytes(from offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        PayloadPattern.withBytes(from: offset, count: count, body)
    }

    static func wordSum(from offset: Int, count: Int, firstOctetHigh: Bool) -> UInt64? {
        PayloadPattern.wordSum(from: offset, count: count, firstOctetHigh: firstOctetHigh)
    }

    static func copyBytes(from offset: Int, count: Int, to destination: UnsafeMutableRawPointer) {
        PayloadPattern.copyBytes(from: offset, count: count, to: destination)
    }

    static func copyBytes(from offset: Int, count: Int, to destination: UnsafeMutableRawPointer,
                          wordSumWithFirstOctetHigh firstOctetHigh: Bool) -> UInt64? {
        PayloadPattern.copyBytes(from: offset, count: count, to: destination, wordSumWithFirstOctetHigh: firstOctetHigh)
    }
}
