import Protocols
import Simulation
import Testing

@Suite("MQTT 3.1.1 packet codec (§2, §3)")
struct MQTTCodecTests {
    /// One packet of every type, with the options that change the bytes.
    static let everyPacket: [MQTTPacket] = [
        .connect(MQTTConnect(clientID: "c1")),
        .connect(MQTTConnect(clientID: "sensor-7", cleanSession: false, keepAlive: 0,
                             will: MQTTWill(topic: "status/sensor-7", payload: Array("gone".utf8), qos: .atLeastOnce,
                                            retain: true),
                             username: "ada", password: [0, 1, 0xFF])),
        .connect(MQTTConnect(clientID: "", keepAlive: 65535, username: "only-user")),
        .connack(sessionPresent: false, returnCode: .accepted),
        .connack(sessionPresent: true, returnCode: .accepted),
        .connack(sessionPresent: false, returnCode: .notAuthorized),
        .publish(MQTTPublish(topic: "a/b", payload: [])),
        .publish(MQTTPublish(topic: "a/b", payload: Array("hi".utf8), qos: .atLeastOnce, packetID: 10, retain: true,
                             dup: true)),
        .publish(MQTTPublish(topic: "ü/€/😀", payload: [UInt8](repeating: 0xAB, count: 300), qos: .exactlyOnce,
                             packetID: 65535)),
        .puback(packetID: 10), .pubrec(packetID: 1), .pubrel(packetID: 2), .pubcomp(packetID: 3),
        .subscribe(packetID: 1, subscriptions: [MQTTSubscription("a/#", qos: .atLeastOnce),
                                                MQTTSubscription("+/+", qos: .exactlyOnce), MQTTSubscription("x")]),
        .suback(packetID: 1, returnCodes: [.granted(.atLeastOnce), .granted(.atMostOnce), .granted(.exactlyOnce),
                                           .failure]),
        .unsubscribe(packetID: 7, topicFilters: ["a/#", "sport/tennis/+"]),
        .unsuback(packetID: 7),
        .pingreq, .pingresp, .disconnect,
    ]

    @Test func roundTripOfEveryPacketType() throws {
        for packet in Self.everyPacket {
            #expect(try MQTTPacket.decode(packet.encoded()) == packet, "\(packet)")
        }
        let types = Set(Self.everyPacket.map(\.type.rawValue))
        #expect(types == Set(1...14))
    }

    /// Byte layouts from §3, written out by hand.
    @Test func knownBytes() {
        #expect(MQTTPacket.connect(MQTTConnect(clientID: "c1")).encoded()
            == [0x10, 0x0E, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3C, 0x00, 0x02, 0x63, 0x31])
        #expect(MQTTPacket.connack(sessionPresent: true, returnCode: .accepted).encoded() == [0x20, 0x02, 0x01, 0x00])
        let publish = MQTTPublish(topic: "a/b", payload: Array("hi".utf8), qos: .atLeastOnce, packetID: 10,
                                  retain: true)
        #expect(MQTTPacket.publish(publish).encoded()
            == [0x33, 0x09, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x00, 0x0A, 0x68, 0x69])
        #expect(MQTTPacket.puback(packetID: 10).encoded() == [0x40, 0x02, 0x00, 0x0A])
        #expect(MQTTPacket.pubrel(packetID: 1).encoded() == [0x62, 0x02, 0x00, 0x01])
        #expect(MQTTPacket.subscribe(packetID: 1, subscriptions: [MQTTSubscription("a/#", qos: .atLeastOnce)]).encoded()
            == [0x82, 0x08, 0x00, 0x01, 0x00, 0x03, 0x61, 0x2F, 0x23, 0x01])
        #expect(MQTTPacket.suback(packetID: 1, returnCodes: [.granted(.atLeastOnce), .failure]).encoded()
            == [0x90, 0x04, 0x00, 0x01, 0x01, 0x80])
        #expect(MQTTPacket.unsubscribe(packetID: 2, topicFilters: ["a"]).encoded()
            == [0xA2, 0x05, 0x00, 0x02, 0x00, 0x01, 0x61])
        #expect(MQTTPacket.unsuback(packetID: 2).encoded() == [0xB0, 0x02, 0x00, 0x02])
        #expect(MQTTPacket.pingreq.encoded() == [0xC0, 0x00])
        #expect(MQTTPacket.pingresp.encoded() == [0xD0, 0x00])
        #expect(MQTTPacket.disconnect.encoded() == [0xE0, 0x00])
        // Will QoS 1 + retain + password + user name + clean session: 0x80|0x40|0x20|0x08|0x04|0x02.
        let will = MQTTWill(topic: "t", payload: [], qos: .atLeastOnce, retain: true)
        let connect = MQTTConnect(clientID: "c", will: will, username: "u", password: [])
        #expect(MQTTPacket.connect(connect).encoded()[9] == 0xEE)
    }

    // MARK: - Remaining Length (§2.2.3)

    /// Table 2.4's boundaries, both ways.
    @Test func remainingLengthBoundaries() {
        let table: [(Int, [UInt8])] = [
            (0, [0x00]), (127, [0x7F]), (128, [0x80, 0x01]), (16_383, [0xFF, 0x7F]), (16_384, [0x80, 0x80, 0x01]),
            (2_097_151, [0xFF, 0xFF, 0x7F]), (2_097_152, [0x80, 0x80, 0x80, 0x01]),
            (268_435_455, [0xFF, 0xFF, 0xFF, 0x7F]),
        ]
        for (value, bytes) in table {
            #expect(MQTTRemainingLength.encode(value) == bytes, "\(value)")
            #expect(MQTTRemainingLength.decode(bytes + [0x55]) == .value(value, octets: bytes.count), "\(value)")
            #expect(MQTTRemainingLength.decode(bytes.dropLast()) == .needMoreData)
        }
        #expect(MQTTRemainingLength.decode([0x80, 0x80, 0x80, 0x80, 0x01]) == .malformed)
        #expect(MQTTRemainingLength.decode([0x80, 0x00]) == .value(0, octets: 2))  // longer than needed, accepted
    }

    /// Packets whose Remaining Length sits on each boundary go through the parser intact.
    @Test(arguments: [127, 128, 16_383, 16_384, 2_097_151, 2_097_152])
    func packetsAtLengthBoundaries(remainingLength: Int) throws {
        let payload = [UInt8](repeating: 0x5A, count: remainingLength - 3)  // topic "t" takes 3 octets
        let packet = MQTTPacket.publish(MQTTPublish(topic: "t", payload: payload))
        let bytes = packet.encoded()
        #expect(bytes.count == 1 + MQTTRemainingLength.encode(remainingLength).count + remainingLength)
        var parser = MQTTPacketParser(maxPacketSize: 3 << 20)
        #expect(try parser.parse(bytes) == [packet])
    }

    /// A fifth length octet is malformed, found on the fourth one (its continuation bit).
    @Test func fiveByteRemainingLengthIsRejected() {
        let bytes: [UInt8] = [0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
        let expected = MQTTDecodingError(.remainingLengthTooLong, field: .remainingLength, packetType: .publish,
                                         offset: 4)
        #expect(throws: expected) { try MQTTPacket.decode(bytes) }
        var parser = MQTTPacketParser(maxPacketSize: Int.max)
        #expect(throws: expected) { try parser.parse(bytes) }
    }

    // MARK: - Errors

    private func decodeError(_ bytes: [UInt8]) -> MQTTDecodingError? {
        do throws(MQTTDecodingError) {
            _ = try MQTTPacket.decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// Each malformed packet names its problem, field and the offset of the bad octet.
    @Test func malformedPackets() {
        func err(_ problem: MQTTDecodingError.Problem, _ field: MQTTDecodingError.Field, _ type: MQTTPacketType?,
               _ offset: Int) -> MQTTDecodingError {
            MQTTDecodingError(problem, field: field, packetType: type, offset: offset)
        }
        let connectHead: [UInt8] = [0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04]
        func connect(flags: UInt8, rest: [UInt8] = [0x00, 0x3C, 0x00, 0x01, 0x63]) -> [UInt8] {
            let body = connectHead + [flags] + rest
            return [0x10, UInt8(body.count)] + body
        }
        let cases: [([UInt8], MQTTDecodingError)] = [
            ([0x00, 0x00], err(.reservedPacketType(0), .packetType, nil, 0)),
            ([0xF0, 0x00], err(.reservedPacketType(15), .packetType, nil, 0)),
            ([0x80, 0x05, 0x00, 0x01, 0x00, 0x01, 0x61], err(.invalidFlags(0), .flags, .subscribe, 0)),
            ([0xC1, 0x00], err(.invalidFlags(1), .flags, .pingreq, 0)),
            ([0x36, 0x03, 0x00, 0x01, 0x61], err(.invalidFlags(6), .flags, .publish, 0)),   // QoS 3
            ([0x38, 0x03, 0x00, 0x01, 0x61], err(.invalidFlags(8), .flags, .publish, 0)),   // DUP at QoS 0
            ([0xC0, 0x01, 0x00], err(.wrongRemainingLength(expected: 0, actual: 1), .remainingLength, .pingreq, 1)),
            ([0x40, 0x03, 0x00, 0x01, 0x00],
             err(.wrongRemainingLength(expected: 2, actual: 3), .remainingLength, .puback, 1)),
            ([0x40, 0x02, 0x00, 0x00], err(.zeroPacketID, .packetID, .puback, 2)),
            (connect(flags: 0x03), err(.invalidValue(0x03), .connectFlags, .connect, 9)),  // reserved bit
            (connect(flags: 0x42), err(.invalidValue(0x42), .connectFlags, .connect, 9)),  // password, no user
            (connect(flags: 0x1E), err(.invalidValue(0x1E), .connectFlags, .connect, 9)),  // will QoS 3
            (connect(flags: 0x22), err(.invalidValue(0x22), .connectFlags, .connect, 9)),  // retain, no will
            (connect(flags: 0x02, rest: [0x00, 0x3C, 0x00, 0x05, 0x63]),
             err(.truncated, .clientID, .connect, 12)),
            (connect(flags: 0x02, rest: [0x00, 0x3C, 0x00, 0x01, 0x63, 0x00]),
             err(.trailingBytes(1), .payload, .connect, 15)),
            ([0x10, 0x08, 0x00, 0x06, 0x4D, 0x51, 0x49, 0x73, 0x64, 0x70],
             err(.unsupportedProtocolName("MQIsdp"), .protocolName, .connect, 2)),
            ([0x20, 0x02, 0x02, 0x00], err(.invalidValue(2), .connackFlags, .connack, 2)),
            ([0x20, 0x02, 0x00, 0x06], err(.invalidValue(6), .returnCode, .connack, 3)),
            ([0x20, 0x02, 0x01, 0x05], err(.invalidValue(1), .connackFlags, .connack, 2)),
            ([0x30, 0x04, 0x00, 0x02, 0x61, 0xC0], err(.invalidUTF8, .topicName, .publish, 5)),
            ([0x30, 0x04, 0x00, 0x02, 0x61, 0x00], err(.nullCharacter, .topicName, .publish, 5)),
            ([0x30, 0x05, 0x00, 0x03, 0x61, 0x2F, 0x2B], err(.invalidTopic(.wildcardInName), .topicName, .publish, 2)),
            ([0x30, 0x02, 0x00, 0x00], err(.invalidTopic(.empty), .topicName, .publish, 2)),
            ([0x32, 0x03, 0x00, 0x01, 0x61], err(.truncated, .packetID, .publish, 5)),
            ([0x32, 0x05, 0x00, 0x01, 0x61, 0x00, 0x00], err(.zeroPacketID, .packetID, .publish, 5)),
            ([0x82, 0x02, 0x00, 0x01], err(.emptyPayload, .payload, .subscribe, 4)),
            ([0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x04], err(.invalidValue(4), .requestedQoS, .subscribe, 7)),
            ([0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x81], err(.invalidValue(0x81), .requestedQoS, .subscribe, 7)),
            ([0x82, 0x07, 0x00, 0x01, 0x00, 0x02, 0x61, 0x23, 0x00],
             err(.invalidTopic(.misplacedMultiLevelWildcard), .topicFilter, .subscribe, 4)),
            ([0x90, 0x03, 0x00, 0x01, 0x03], err(.invalidValue(3), .returnCodes, .suback, 4)),
            ([0xA2, 0x02, 0x00, 0x01], err(.emptyPayload, .payload, .unsubscribe, 4)),
            ([0xC0], err(.truncated, .remainingLength, .pingreq, 1)),
            ([0x40, 0x02, 0x00], err(.truncated, .payload, .puback, 3)),
            ([0xC0, 0x00, 0xC0, 0x00], err(.trailingBytes(2), .payload, .pingreq, 2)),
            ([], err(.truncated, .packetType, nil, 0)),
        ]
        for (bytes, expected) in cases {
            #expect(decodeError(bytes) == expected, "\(bytes)")
        }
    }

    /// §3.1.2.2: a CONNECT of another protocol level is decoded far enough to answer CONNACK 1.
    @Test func otherProtocolLevelsAreReported() throws {
        let level5: [UInt8] = [0x10, 0x0C, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x05, 0x02, 0x00, 0x3C, 0x00, 0x00]
        guard case .connect(let connect) = try MQTTPacket.decode(level5) else {
            Issue.record("not a CONNECT")
            return
        }
        #expect(connect.protocolLevel == 5)
    }

    // MARK: - Incremental parser

    /// The parser checks the size on the length field and buffers nothing of a packet too big.
    @Test func maxPacketSizeIsCheckedBeforeBuffering() {
        var parser = MQTTPacketParser(maxPacketSize: 100)
        let big = MQTTPacket.publish(MQTTPublish(topic: "t", payload: [UInt8](repeating: 1, count: 97))).encoded()
        #expect(big.count == 102)
        #expect(throws: MQTTDecodingError(.packetTooLarge(size: 102, limit: 100), field: .remainingLength,
                                          packetType: .publish, offset: 1)) { try parser.parse(big.prefix(2)) }
        #expect(parser.bufferedByteCount == 0)
        #expect(parser.error != nil)
        var fits = MQTTPacketParser(maxPacketSize: 102)
        #expect((try? fits.parse(big))?.count == 1)
    }

    @Test func splitFeedingGivesTheSamePackets() {
        let bytes = Self.everyPacket.flatMap { $0.encoded() }
        let packets = SplitFeed.sameForEveryFeed(bytes) { pieces -> [MQTTPacket] in
            var parser = MQTTPacketParser()
            var packets: [MQTTPacket] = []
            for piece in pieces { packets += (try? parser.parse(piece)) ?? [] }
            return packets
        }
        #expect(packets == Self.everyPacket)
        // Errors too are the same, at the same offset, however the bytes come.
        let broken = bytes + [0x30, 0x04, 0x00, 0x02, 0x61, 0xC0]
        let error = SplitFeed.sameForEveryFeed(broken) { pieces -> MQTTDecodingError? in
            var parser = MQTTPacketParser()
            for piece in pieces {
                do throws(MQTTDecodingError) { _ = try parser.parse(piece) } catch { return error }
            }
            return nil
        }
        #expect(error
            == MQTTDecodingError(.invalidUTF8, field: .topicName, packetType: .publish, offset: bytes.count + 5))
    }

    /// 10,000 seeded mutations of valid packets: the parser never traps, never buffers beyond
    /// its limit, and decides the same whole or in pieces.
    @Test func seededMutatedPackets() {
        var generator = SeededGenerator(seed: 311)
        let maxPacketSize = 400
        var errors = 0
        for round in 0..<10_000 {
            let mutator = ByteMutator(corpus: Self.everyPacket.map { $0.encoded() },
                                      edits: [.flipBit, .overwrite, .truncate, .insertJunk, .splice])
            let bytes = mutator.mutate(Self.everyPacket[Int(generator.below(UInt64(Self.everyPacket.count)))].encoded(),
                                       count: 1...3, using: &generator)
            func run(_ feed: SplitFeed) -> ([MQTTPacket], MQTTDecodingError?) {
                var parser = MQTTPacketParser(maxPacketSize: maxPacketSize)
                var packets: [MQTTPacket] = []
                for piece in feed.pieces(bytes) {
                    do throws(MQTTDecodingError) {
                        try parser.parse(piece) { packets.append($0) }
                    } catch {
                        return (packets, error)
                    }
                    #expect(parser.bufferedByteCount <= maxPacketSize)
                }
                return (packets, nil)
            }
            let whole = run(.whole)
            let split = run(.random(seed: UInt64(round)))
            #expect(whole.0 == split.0 && whole.1 == split.1, "round \(round)")
            if let error = whole.1 {
                errors += 1
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
            // What decodes re-encodes to a packet that decodes the same.
            for packet in whole.0 { #expect((try? MQTTPacket.decode(packet.encoded())) == packet) }
        }
        #expect(errors > 2_000 && errors < 9_500)
    }
}
