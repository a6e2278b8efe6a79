/// Something with interfaces on links: the base of `Host`, of the stack's hosts and of its router.
///
/// Attaching an interface installs the node as the receiver of its link end; frames arriving
/// there are passed to `receive(_:on:)` with the interface's index. The node and the link then
/// hold each other; the world that owns both detaches them when it ends.
open class Node: TimerTarget {
    /// The node's name, unique within its world.
    public let name: String

    /// The node's interfaces, in the order they were attached.
    @exclusivity(unchecked) public private(set) var interfaces: [Interface] = []
    /// Each interface's link end as plain values, the link unretained (`interfaces` holds it):
    /// `send` calls the link without a retain and release around each frame (~40 instructions
    /// a packet; callgrind, workload A).
    @exclusivity(unchecked) private var outlets: [(link: Unmanaged<Link>, side: LinkSide)] = []

    public init(name: String) {
        self.name = name
        super.init()
    }

    /// Attaches a new interface with `address` to `end` and returns its index.
    @discardableResult
    public func attach(to end: LinkEnd, address: UInt32) -> Int {
        let index = interfaces.count
        interfaces.append(Interface(address: address, end: end))
        outlets.append((Unmanaged.passUnretained(end.link), end.side))
        end.link.attach(self, interface: index, at: end.side)
        return index
    }

    /// Sends `frame` out of interface `index`.
    public func send(_ frame: consuming [UInt8], on index: Int) {
        let outlet = outlets[index]
        var handedOn: [UInt8]? = consume frame   // moved into the call below, not copied
        outlet.link._withUnsafeGuaranteedRef { $0.send(handedOn.take()!, from: outlet.side) }
    }

    /// Called when a frame arrives on interface `index`. Subclasses override it.
    open func receive(_ frame: consuming [UInt8], on index: Int) {}
}
