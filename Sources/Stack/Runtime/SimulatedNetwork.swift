import Simulation
import Sockets
import Tracing
import Wire

/// The simulated runtime for one scenario: a world of hosts joined by links, built from the
/// scenario's topology and link conditions, with one seeded generator for every decision.
///
/// Two hosts share one link. More hosts are joined through a router `r1`, each on a link of its
/// own that carries half the one-way delay, so any two hosts are one RTT apart.
public final class SimulatedNetwork {
    public let world: World
    public let hosts: [SimulatedHost]
    public let recorder: SimulationRecorder
    private let linkTracer: LinkTracer
    /// The census this network counts itself in, if one was bound when it was built.
    private let census: NetworkCensus?

    /// `settings` chooses the TCP configuration (the scenario's profile by default) and an ablation.
    public init(scenario: Scenario, settings: StackSettings = StackSettings(), recorder: SimulationRecorder = SimulationRecorder()) {
        self.recorder = recorder
        census = NetworkCensus.current
        census?.began()
        world = World(seed: scenario.seed)
        linkTracer = LinkTracer(recorder: recorder)
        let tcp = settings.tcpConfiguration(for: scenario)
        let entries = scenario.hosts.enumerated().map { index, name in
            (name: name, address: Scenario.hostAddress(at: index))
        }
        let resolver = HostResolver(entries: entries)
        var built: [SimulatedHost] = []
        for entry in entries {
            let host = SimulatedHost(
                name: entry.name, address: entry.address, scheduler: world.scheduler,
                random: world.random, framePool: world.framePool,
                poolsFrames: !recorder.keepsEvents || recorder.packetBytes == .headers, observer: recorder, configuration: tcp,
                icmpRule: scenario.profile.icmpErrorRule, verifiesChecksums: settings.verifiesChecksums,
                resolver: resolver)
            host.wakesApplicationsLater = scenario.link.loopback
            world.add(host)
            built.append(host)
        }
        hosts = built
        world.observer = linkTracer
        wire(scenario: scenario, entries: entries)
    }

    /// The network owns the run's objects, which refer to each other without `weak` or `unowned`
    /// (hosts and their sockets, links and their nodes, the scheduler and its events): when the
    /// network ends, its hosts and world let go of those references, so nothing of the run outlives it.
    deinit {
        for host in hosts { host.tearDown() }
        census?.ended()
    }

    private func wire(scenario: Scenario, entries: [(name: String, address: IPv4Address)]) {
        let spec = scenario.link
        if entries.count == 2 {
            // A host link given for either host applies to their one link; a sender's own loss
            // (`link loss P from HOST`) to the direction that host sends in.
            let own = entries.compactMap { spec.hostLink($0.name) }
            let link = world.addLink("\(entries[0].name)-\(entries[1].name)",
                                     conditions: conditions(spec, own.first, oneWay: spec.rtt / 2))
            link.setConditions(conditions(spec, own.first, oneWay: spec.rtt / 2, from: entries[0].name), for: .aToB)
            link.setConditions(conditions(spec, own.first, oneWay: spec.rtt / 2, from: entries[1].name), for: .bToA)
            _ = hosts[0].attach(to: link.end(.a), address: entries[0].address.rawValue)
            _ = hosts[1].attach(to: link.end(.b), address: entries[1].address.rawValue)
            link.dropFrames(numbered: spec.drops.map { UInt64($0) })
            for partition in spec.partitions + own.flatMap(\.partitions) {
                link.partition(from: VirtualTime(nanoseconds: partition.from), to: VirtualTime(nanoseconds: partition.to))
            }
            return
        }
        let router = SimulatedRouter(name: "r1", scheduler: world.scheduler, observer: recorder)
        world.add(router)
        for (index, entry) in entries.enumerated() {
            let own = spec.hostLink(entry.name)
            let link = world.addLink("\(entry.name)-r1", conditions: conditions(spec, own, oneWay: spec.rtt / 4))
            link.setConditions(conditions(spec, own, oneWay: spec.rtt / 4, from: entry.name), for: .aToB)
            _ = hosts[index].attach(to: link.end(.a), address: entry.address.rawValue)
            let routerInterface = router.attach(to: link.end(.b), address: IPv4Address(10, 0, 1, 1).rawValue)
            router.addRoute(prefix: entry.address, prefixLength: 32, interfaceIndex: routerInterface)
            link.dropFrames(numbered: spec.drops.map { UInt64($0) })
            for partition in spec.partitions + (own?.partitions ?? []) {
                link.partition(from: VirtualTime(nanoseconds: partition.from), to: VirtualTime(nanoseconds: partition.to))
            }
        }
    }

    /// The conditions of one direction of a link: the scenario's, with the loss of the host that
    /// sends in it (`from`; nil for the router) if given, else the host link's, else the scenario's.
    private func conditions(_ spec: LinkSpec, _ own: HostLinkSpec?, oneWay: Int64, from host: String? = nil) -> LinkConditions {
        var conditions = LinkConditions()
        conditions.delay = .nanoseconds(oneWay)
        conditions.jitter = .nanoseconds(spec.jitter)
        conditions.bandwidthBitsPerSecond = spec.bandwidth > 0 ? spec.bandwidth : nil
        conditions.queueLimit = spec.queuePackets > 0 ? .packets(spec.queuePackets) : .unlimited
        conditions.mtu = spec.mtu
        let senderLoss = host.flatMap { host in spec.senderLoss.first { $0.host == host }?.lossPPM }
        conditions.lossProbability = Double(senderLoss ?? own?.lossPPM ?? spec.lossPPM) / 1_000_000
        conditions.duplicationProbability = Double(spec.duplicatePPM) / 1_000_000
        conditions.reorderProbability = Double(spec.reorderPPM) / 1_000_000
        conditions.reorderDelay = .nanoseconds(max(spec.rtt / 4, 1_000_000))
        conditions.corruptionProbability = Double(spec.corruptPPM) / 1_000_000
        conditions.deliversWithinSendingCall = spec.loopback
        return conditions
    }

    /// Unplugs or replugs every cable.
    public func setLinksUp(_ up: Bool) {
        for link in world.links { link.setUp(up) }
    }

    public func host(named name: String) -> SimulatedHost? {
        hosts.first { $0.name == name }
    }

    /// Runs until nothing is left to do, the virtual clock reaches `limit` (nanoseconds), or
    /// `maxEvents` scheduler events have run (a guard against runaway runs, e.g. an ACK war under
    /// an ablation); returns the number of events run.
    @discardableResult
    public func run(until limit: Int64, maxEvents: Int = .max) -> Int {
        world.run(until: VirtualTime(nanoseconds: limit), maxEvents: maxEvents)
    }
}

/// Turns link events that matter to a learner (drops, duplicates, corruption) into trace events.
final class LinkTracer: LinkObserver {
    let recorder: SimulationRecorder

    init(recorder: SimulationRecorder) {
        self.recorder = recorder
    }

    /// Sent, delivered and reordered frames are not traced here (the hosts trace what they send
    /// and receive), so links need not build those events at all.
    var recordsRoutineEvents: Bool { false }

    func record(_ event: LinkEvent) {
        let node = event.link
        switch event.kind {
        case .dropped(let reason):
            recorder.record(TraceEvent(time: event.time.nanoseconds, node: node,
                                       kind: .packetDropped(bytes: event.frame, reason: PacketDropReason(reason))))
        case .duplicated:
            recorder.record(TraceEvent(time: event.time.nanoseconds, node: node, kind: .packetDuplicated(bytes: event.frame)))
        case .corrupted(let bit):
            recorder.record(TraceEvent(time: event.time.nanoseconds, node: node, kind: .note(.bitFlipped(bit: bit, link: event.link))))
        case .sent, .delivered, .reordered:
            break
        }
    }
}

extension PacketDropReason {
    /// The trace's name for a link's drop.
    init(_ reason: LinkDropReason) {
        switch reason {
        case .loss: self = .loss
        case .burstLoss: self = .burstLoss
        case .queueFull: self = .queueFull
        case .exceedsMTU: self = .exceedsMTU
        case .partitioned: self = .partitioned
        case .linkDown: self = .linkDown
        case .scripted: self = .scripted
        }
    }
}
