import Wire

extension TCPConnection {
    /// SACK blocks in one ACK: 4 fit in the 40 octets of options, 3 beside timestamps (RFC 2018 §3).
    var sackBlockLimit: Int { timestampsEnabled ? 3 : 4 }

    /// RFC 2018 §4, the data receiver: out-of-order data arrived at `sequence`. The block that holds
    /// it is reported first, then the blocks reported most recently ("the first SACK block MUST
    /// specify the contiguous block of data containing the segment which triggered this ACK ... the
    /// SACK option SHOULD be filled out by repeating the most recently reported SACK blocks").
    mutating func recordSACK(at sequence: SequenceNumber) {
        guard sackPermitted, let newest = reassembly.block(containing: sequence) else { return }
        var blocks = [newest]
        for block in sackBlocks where !(newest.left <= block.left && block.right <= newest.right) {
            blocks.append(block)
        }
        sackBlocks = Array(blocks.prefix(4))
    }

    /// Blocks that RCV.NXT has passed are acknowledged cumulatively and no longer reported.
    mutating func pruneSACKBlocks() {
        guard !sackBlocks.isEmpty else { return }
        sackBlocks.removeAll { $0.right <= rcvNXT }
    }

    /// RFC 2883 §4, the data receiver: octets `left..<right` arrived again. The next ACK reports them
    /// in its first SACK block, a D-SACK, once ("each duplicate contiguous sequence of data received
    /// is reported in at most one D-SACK block").
    mutating func recordDuplicate(left: SequenceNumber, right: SequenceNumber) {
        guard sackPermitted, configuration.reportsDuplicateSACK, left < right else { return }
        duplicateSACK = SACKBlock(left: left, right: right)
    }

    /// Whether the next pure ACK carries a SACK option.
    var hasSACKToReport: Bool { !sackBlocks.isEmpty || duplicateSACK != nil }

    /// The SACK option of a pure ACK, if blocks are held (RFC 2018 §4: an ACK that does not
    /// acknowledge the highest sequence number received carries them), a D-SACK first (RFC 2883 §4).
    var sackOptions: [TCPOption] {
        guard sackPermitted, hasSACKToReport else { return [] }
        var blocks = sackBlocks
        if let duplicateSACK { blocks.insert(duplicateSACK, at: 0) }
        return [.noOperation, .noOperation, .sack(Array(blocks.prefix(sackBlockLimit)))]
    }
}
