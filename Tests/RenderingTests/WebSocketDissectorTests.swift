import Testing
@testable import Rendering

/// WebSocket frames and MQTT packets decoded from hand-made segments: each length class, several
/// frames in one segment, and payloads that only look like frames left alone.
@Suite struct WebSocketDissectorTests {
    /// An IPv4 packet (20-byte header) holding a TCP segment (20-byte header) from `source` to
    /// `destination` port with `payload`.
    static func packet(_ payload: [UInt8], source: Int = 80, destination: Int = 49152) -> [UInt8] {
        let total = 40 + payload.count
        var bytes: [UInt8] = [0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
        bytes += [UInt8(source >> 8), UInt8(source & 0xFF), UInt8(destination >> 8), UInt8(destination & 0xFF)]
        bytes += [0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xFF, 0xFF, 0, 0, 0, 0]
        return bytes + payload
    }

    @Test func everyLengthClass() {
        // 7-bit, 16-bit and (a frame fits an IPv4 packet) a 64-bit length written for 300 bytes.
        for (length, wide) in [(0, false), (125, false), (126, false), (300, false), (65_000, false), (300, true)] {
            let header: [UInt8] = wide ? [0x82, 127, 0, 0, 0, 0, 0, 0, 1, 44]
                : length <= 125 ? [0x82, UInt8(length)] : [0x82, 126, UInt8(length >> 8), UInt8(length & 0xFF)]
            let bytes = Self.packet(header + [UInt8](repeating: 0x41, count: length))
            let layer = PacketDissector.layers(bytes).last
            #expect(layer?.title == "WebSocket frame, binary, FIN, not masked, \(length)-byte payload", "\(length)")
            #expect(layer?.fields[1].range == 41..<(40 + header.count), "\(length)")
        }
    }

    @Test func severalFramesInOneSegmentAndNotFrames() {
        let two: [UInt8] = [0x89, 0x02, 0x68, 0x69, 0x8A, 0x02, 0x68, 0x69]
        #expect(PacketDissector.layers(Self.packet(two)).suffix(2).map(\.title)
                == ["WebSocket frame, ping, FIN, not masked, 2-byte payload",
                    "WebSocket frame, pong, FIN, not masked, 2-byte payload"])
        // RSV bits set, a reserved opcode, a fragmented ping, a length running past the segment:
        // plain application data.
        for notFrame: [UInt8] in [[0xC1, 0x01, 0x41], [0x83, 0x01, 0x41], [0x09, 0x01, 0x41], [0x81, 0x05, 0x41]] {
            #expect(PacketDissector.layers(Self.packet(notFrame)).last?.title.hasPrefix("Application data") == true)
        }
    }

    @Test func mqttOnlyOnItsPort() {
        let pingreq: [UInt8] = [0xC0, 0x00]
        #expect(PacketDissector.layers(Self.packet(pingreq, source: 49152, destination: 1883)).last?.title
                == "MQ Telemetry Transport, PINGREQ")
        // The same two bytes elsewhere are not MQTT.
        #expect(PacketDissector.layers(Self.packet(pingreq)).last?.title != "MQ Telemetry Transport, PINGREQ")
        let connack: [UInt8] = [0x20, 0x02, 0x00, 0x00]
        let layer = PacketDissector.layers(Self.packet(connack, source: 1883)).last
        #expect(layer?.title == "MQ Telemetry Transport, CONNACK")
        #expect(layer?.fields.last?.value == "0 (accepted)")
    }
}
