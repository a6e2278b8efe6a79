import Testing
@testable import Wire

/// A header keeps its options and padding in one array (`TCPHeader.optionStorage`, the padding in a
/// marker at the end): what is set is what is read back, whatever the lists.
@Suite struct TCPOptionStorageTests {
    @Test func listsReadBackAsSet() {
        let cases: [([TCPOption], [UInt8])] = [
            ([], []),
            ([.maximumSegmentSize(1460)], []),
            ([.noOperation, .endOfList], [0, 0]),
            ([], [1, 2, 3]),
            ([.unknown(kind: 0, data: [7])], []),
            ([.unknown(kind: 0, data: [])], [9]),
            ([.endOfList, .unknown(kind: 0, data: [1, 2])], [3]),
        ]
        for (options, padding) in cases {
            var header = TCPHeader(sourcePort: 1, destinationPort: 2, sequenceNumber: SequenceNumber(3),
                                   flags: .ack, window: 4, options: options, optionPadding: padding)
            #expect(header.options == options)
            #expect(header.optionPadding == padding)
            #expect(header.optionsLength == options.reduce(0) { $0 + $1.encodedLength } + padding.count)
            header.optionPadding = [5]
            #expect(header.options == options && header.optionPadding == [5])
            header.options = [.sackPermitted]
            #expect(header.options == [.sackPermitted] && header.optionPadding == [5])
        }
    }
}
