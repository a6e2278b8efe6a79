/// A whole simulated network: one scheduler, one seeded generator, nodes and links.
///
/// Nodes and links are kept in arrays in the order they were added, so anything derived from
/// them (traces, diagrams) has a fixed order. The world's `observer` is handed to every link and
/// router, present and future.
public final class World {
    /// The clock and event queue every component shares.
    public let scheduler: Scheduler
    /// The one random generator every component draws from.
    public let random: RandomSource
    /// Frame buffers the world's hosts reuse.
    public let framePool = FramePool()
    /// All nodes (hosts and routers) in the order they were added.
    public private(set) var nodes: [Node] = []
    /// All links in the order they were added.
    public private(set) var links: [Link] = []

    /// Receives every link event.
    public var observer: (any LinkObserver)? {
        didSet {
            for link in links { link.observer = observer }
        }
    }

    /// Creates an empty world whose every random decision derives from `seed`.
    public init(seed: UInt64, observer: (any LinkObserver)? = nil) {
        scheduler = Scheduler()
        random = RandomSource(seed: seed)
        self.observer = observer
    }

    /// The world owns its parts, which refer to each other (links and nodes, the scheduler and
    /// the events that name them): when it ends, it lets go of those references, so the parts end too.
    deinit {
        scheduler.removeAll()
        for link in links { link.detachAll() }
    }

    /// The current virtual time.
    public var now: VirtualTime { scheduler.now }

    /// Adds a link with the same conditions both ways.
    @discardableResult
    public func addLink(_ name: String, conditions: LinkConditions = .ideal) -> Link {
        precondition(link(named: name) == nil, "duplicate link name \(name)")
        let link = Link(name: name, conditions: conditions, scheduler: scheduler, random: random, observer: observer)
        links.append(link)
        return link
    }

    /// Adds a host.
    @discardableResult
    public func addHost(_ name: String) -> Host {
        precondition(node(named: name) == nil, "duplicate node name \(name)")
        let host = Host(name: name)
        nodes.append(host)
        return host
    }

    /// Adds a node built elsewhere (a router, say), keeping insertion order.
    public func add(_ node: Node) {
        precondition(self.node(named: node.name) == nil, "duplicate node name \(node.name)")
        nodes.append(node)
    }

    /// The link called `name`, if any.
    public func link(named name: String) -> Link? {
        links.first { $0.name == name }
    }

    /// The node called `name`, if any.
    public func node(named name: String) -> Node? {
        nodes.first { $0.name == name }
    }

    /// Runs the scheduler (see `Scheduler.run(until:maxEvents:)`).
    @discardableResult
    public func run(until limit: VirtualTime? = nil, maxEvents: Int = .max) -> Int {
        scheduler.run(until: limit, maxEvents: maxEvents)
    }
}
