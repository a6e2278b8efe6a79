import Simulation
import Testing
@testable import Wire

/// A generated stream for tests: byte `i` is `i % 256`, served in pieces of at most 100 bytes.
enum CountingSource: PayloadSource {
    static func withBytes(from offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        var done = 0
        while done < count {
            let piece = (0..<min(100, count - done)).map { UInt8(truncatingIfNeeded: offset + done + $0) }
            piece.withUnsafeBytes(body)
            done += piece.count
        }
    }
}

@Suite("Payloads: bytes held without copying")
struct PayloadTests {
    @Test func bytesAndGeneratedPayloadsAreEqualByContent() {
        let array = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
        let held = Payload(array)
        let generated = Payload(generatedBy: CountingSource.self, offset: 0, count: 1000)
        #expect(held == generated)
        #expect(held.hashValue == generated.hashValue)
        #expect(generated.bytes == array)
        #expect(Array(generated) == array)
        #expect(generated[300] == 44)
        #expect(held.extracting(250..<260) == generated.extracting(250..<260))
        #expect(generated.extracting(250..<260).bytes == Array(array[250..<260]))
        #expect(Payload(array, 10..<20).bytes == Array(array[10..<20]))
        #expect(Payload() == [])
        #expect(Payload([1, 2]) != Payload([1, 3]))
    }

    @Test func continuedPayloadsMerge() {
        let array: [UInt8] = Array(repeating: 7, count: 100)
        #expect(Payload(array, 0..<40).continued(by: Payload(array, 40..<100)) == Payload(array))
        #expect(Payload(array, 0..<40).continued(by: Payload(array, 41..<100)) == nil)
        #expect(Payload(array, 0..<40).continued(by: Payload(array.map { $0 }, 40..<100)) == nil)   // another array
        let a = Payload(generatedBy: CountingSource.self, offset: 5, count: 10)
        let b = Payload(generatedBy: CountingSource.self, offset: 15, count: 10)
        #expect(a.continued(by: b) == Payload(generatedBy: CountingSource.self, offset: 5, count: 20))
        #expect(b.continued(by: a) == nil)
        var extended = a
        #expect(extended.extend(with: b) && extended == Payload(generatedBy: CountingSource.self, offset: 5, count: 20))
        #expect(!extended.extend(with: a) && extended.count == 20)
    }

    @Test func aSegmentWithAGeneratedPayloadIsTheSameBytesAsWithAnArray() throws {
        let header = TCPHeader(sourcePort: 1, destinationPort: 2, sequenceNumber: SequenceNumber(9), flags: .ack,
                               window: 100)
        for count in [0, 1, 3, 4, 99, 100, 101, 1460, 1461] {
            let generated = TCPSegment(header: header, payload: Payload(generatedBy: CountingSource.self, offset: 3,
                                                                         count: count))
            let held = TCPSegment(header: header, payload: Array(generated.payload))
            let a = IPv4Packet(source: IPv4Address(1, 2, 3, 4), destination: IPv4Address(5, 6, 7, 8), payload: .tcp(generated))
            let b = IPv4Packet(source: IPv4Address(1, 2, 3, 4), destination: IPv4Address(5, 6, 7, 8), payload: .tcp(held))
            let bytes = a.emit()
            #expect(bytes == b.emit())
            let parsed = try IPv4Packet.parse(bytes)   // checksums verified
            guard case .tcp(let segment) = parsed.payload else { Issue.record("not TCP"); continue }
            #expect(segment.payload == generated.payload)
        }
    }

    @Test func summingWhileCopyingIsSummingAfterwards() {
        var random = SplitMix64(seed: 3)
        for length in [0, 1, 2, 3, 4, 5, 7, 8, 31, 32, 33, 1460, 1461, 4097] {
            let source = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            for prefix in [0, 1, 2, 3] {
                var copying = InternetChecksum()
                var plain = InternetChecksum()
                let head = Array(source.prefix(prefix))
                copying.add(head)
                plain.add(head)
                let rest = Array(source.dropFirst(prefix))
                var destination = [UInt8](repeating: 0, count: rest.count)
                destination.withUnsafeMutableBytes { out in
                    rest.withUnsafeBytes { copying.addCopying($0, to: out.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 1)!) }
                }
                plain.add(rest)
                #expect(destination == rest)
                #expect(copying.checksum == plain.checksum, "length \(length), prefix \(prefix)")
            }
        }
    }
}
