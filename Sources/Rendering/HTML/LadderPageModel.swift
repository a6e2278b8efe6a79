import Tracing
import Wire

/// A trace's ladder as the interactive page reads it (JSON embedded in the page): the
/// `LadderModel`'s lifelines, rows, flights, states and timers, and every packet decoded by
/// `PacketDissector`, so the page lays out and draws what the SVG ladder draws, and shows any
/// packet's fields and bytes.
///
///     {"format":"stacklab-ladder","version":1,"title","subtitle","geometry":{…},
///      "lifelines":[[name,address]],"connections":[name],"rows":[[time_ns,kind,ref]],
///      "flights":[[from,to,kind,label,connection,drop_reason,on_link]],"states":[[lifeline,state,connection]],
///      "timers":[[lifeline,name,color,start_row,end_row,fired]],"state_colors":{…},"labels":{…},"packets":[…]}
///
/// Row kinds: 0 a packet leaves, 1 it arrives, 2 a duplicate arrives, 3 the receiver drops it,
/// 4 a state change, 5 a timer fires. A connection of -1 means none (UDP, ICMP, a listener).
public struct LadderPageModel: Sendable {
    public let model: LadderModel
    /// Bytes of each packet kept for the hex view; the fields cover the whole packet.
    public static let hexLimit = 128

    public init(model: LadderModel) {
        self.model = model
    }

    public func value() -> JSONValue {
        let header = model.trace.header
        var subtitle = "\(model.flights.count) packets"
        if header.profile != PcapTraceReader.profile {
            let link = header.link.loopback ? "loopback link" : "RTT \(LadderModel.milliseconds(header.link.rtt)) ms"
            subtitle = "seed \(header.seed) · profile \(header.profile) · \(link) · " + subtitle
        }
        let layers = packetLayers()
        return .object([
            ("format", "stacklab-ladder"),
            ("version", 1),
            ("title", .string(header.scenario)),
            ("subtitle", .string(subtitle)),
            ("geometry", .object([
                ("top", 70.0), ("left", .double(SVGLadderRenderer.leftMargin)),
                ("spacing", .double(SVGLadderRenderer.spacing)), ("transit", .double(SVGLadderRenderer.transitHeight)),
                ("step", .double(SVGLadderRenderer.minimumStep)), ("gap", .double(SVGLadderRenderer.gapHeight)),
                ("band", .double(SVGLadderRenderer.bandWidth)),
                ("transit_ns", .int(typicalTransit())), ("gap_ns", .int(LadderRenderer.gapThreshold)),
            ])),
            ("lifelines", .array(model.lifelines.map { .array([.string($0.name), .string($0.address.description)]) })),
            ("connections", .array(model.connections.map { .string(name(of: $0)) })),
            ("rows", .array(model.rows.map(row))),
            ("flights", .array(model.flights.map(flight))),
            ("states", .array(model.states.map(state))),
            ("timers", .array(model.timers.map(timer))),
            ("state_colors", .object(TCPState.allCases.compactMap { state in
                SVGLadderRenderer.stateColors(state).map { colors in
                    (state.rawValue, .array([.string(colors.fill), .string(colors.stroke), .string(colors.text)]))
                }
            })),
            ("labels", PacketJSON.labels(of: layers)),
            ("packets", .array(zip(model.flights, layers).map { flight, layers in
                PacketJSON.value(layers: layers, bytes: bytes(of: flight), hexLimit: Self.hexLimit)
            })),
        ])
    }

    /// The median one-way transit of the first 2,000 packets: the time scale, as the SVG ladder sets it.
    func typicalTransit() -> Int64 {
        var transits: [Int64] = []
        for flight in model.flights.prefix(2_000) {
            if let arrival = flight.arrivals.first, arrival.time > flight.sendTime {
                transits.append(arrival.time - flight.sendTime)
            }
        }
        transits.sort()
        return transits.isEmpty ? 10_000_000 : transits[transits.count / 2]
    }

    /// Every packet decoded, sequence numbers also noted relative to each side's first (as the
    /// ladder counts them: from the SYN, or from one before the first segment seen).
    func packetLayers() -> [[PacketLayer]] {
        let hostNames = model.trace.hostNames
        var base: [String: UInt32] = [:]   // "src:port>dst:port" → the ISN it counts from
        return model.flights.map { flight in
            let bytes = bytes(of: flight)
            var isn: (send: UInt32, receive: UInt32)?
            if let tcp = Self.tcpFacts(bytes) {
                if tcp.syn {
                    base[tcp.flow] = tcp.sequence
                } else if base[tcp.flow] == nil {
                    base[tcp.flow] = tcp.sequence &- 1
                }
                isn = (base[tcp.flow] ?? 0, base[tcp.reverse] ?? tcp.acknowledgment &- 1)
            }
            return PacketDissector.layers(bytes, hostNames: hostNames, isn: isn)
        }
    }

    /// A TCP segment's direction (both ways round), sequence and acknowledgment numbers, SYN flag.
    static func tcpFacts(_ bytes: [UInt8])
        -> (flow: String, reverse: String, sequence: UInt32, acknowledgment: UInt32, syn: Bool)? {
        guard bytes.count >= 20, bytes[9] == IPProtocol.tcp.rawValue else { return nil }
        let h = Int(bytes[0] & 0x0F) * 4
        guard bytes.count >= h + 14 else { return nil }
        func u32(_ i: Int) -> UInt32 {
            UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
        }
        let source = "\(IPv4Address(u32(12))):\(Int(bytes[h]) << 8 | Int(bytes[h + 1]))"
        let destination = "\(IPv4Address(u32(16))):\(Int(bytes[h + 2]) << 8 | Int(bytes[h + 3]))"
        let syn = bytes[h + 13] & 0x02 != 0
        return ("\(source)>\(destination)", "\(destination)>\(source)", u32(h + 4), u32(h + 8), syn)
    }

    /// The packet a flight carries, as it was sent.
    func bytes(of flight: LadderModel.Flight) -> [UInt8] {
        guard case .packetSent(let bytes, _) = model.trace.events[flight.sendIndex].kind else { return [] }
        return bytes
    }

    /// `client:49152 ↔ server:80`, hosts by name where the trace names them.
    func name(of connection: LadderModel.Connection) -> String {
        func endpoint(_ e: LadderModel.Endpoint) -> String {
            "\(model.trace.hostNames[e.address] ?? e.address.description):\(e.port)"
        }
        return "\(endpoint(connection.a)) ↔ \(endpoint(connection.b))"
    }

    func row(_ row: LadderModel.Row) -> JSONValue {
        let (kind, ref): (Int64, Int) = switch row.content {
        case .send(let f): (0, f)
        case .arrival(let f, let duplicate): (duplicate ? 2 : 1, f)
        case .hostDrop(let f): (3, f)
        case .state(let s): (4, s)
        case .timerFired(let t): (5, t)
        }
        return .array([.int(row.time), .int(kind), .int(Int64(ref))])
    }

    func flight(_ flight: LadderModel.Flight) -> JSONValue {
        .array([
            .int(Int64(flight.from)), .int(Int64(flight.to)), .string(SVGLadderRenderer.kind(flight)),
            .string(flight.label),
            .int(Int64(flight.tcp?.connection ?? -1)), .string(flight.drop?.reason.description ?? ""),
            .int(flight.drop?.onLink == true ? 1 : 0),
        ])
    }

    func state(_ mark: LadderModel.StateMark) -> JSONValue {
        .array([.int(Int64(mark.lifeline)), .string(mark.state.rawValue),
                .int(Int64(connection(ofStateAt: mark.index) ?? -1))])
    }

    func timer(_ span: LadderModel.TimerSpan) -> JSONValue {
        let style = SVGLadderRenderer.timerStyle(span.timer)
        return .array([
            .int(Int64(span.lifeline)), .string(style.label), .string(style.color),
            .int(Int64(model.row(atOrBefore: span.setIndex) ?? 0)),
            .int(Int64(span.endIndex.flatMap { model.row(atOrBefore: $0) } ?? -1)), .int(span.fired ? 1 : 0),
        ])
    }

    /// The connection a state change belongs to (`host:port>peer:port`), nil for a listener's.
    func connection(ofStateAt index: Int) -> Int? {
        guard case .stateChanged(let name, _, _, _) = model.trace.events[index].kind else { return nil }
        let ends = name.split(separator: ">").map { end -> LadderModel.Endpoint? in
            let parts = end.split(separator: ":")
            guard parts.count == 2, let port = UInt16(parts[1]) else { return nil }
            let host = String(parts[0])
            let named = model.trace.header.hosts.first { $0.name == host }?.address
            guard let address = named ?? IPv4Address(host) else { return nil }
            return LadderModel.Endpoint(address: address, port: port)
        }
        guard ends.count == 2, let local = ends[0], let peer = ends[1] else { return nil }
        return model.connections.firstIndex { ($0.a == local && $0.b == peer) || ($0.a == peer && $0.b == local) }
    }
}
