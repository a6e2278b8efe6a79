/// Something with interfaces on links: the base of `Host` and of the stack's router.
///
/// Attaching an interface installs the node as the receiver of its link end; frames arriving
/// there are passed to `receive(_:on:)` with the interface's index.
open class Node {
    /// The node's name, unique within its world.
    public let name: String

    /// The node's interfaces, in the order they were attached.
    @exclusivity(unchecked) public private(set) var interfaces: [Interface] = []

    public init(name: String) {
        self.name = name
    }

    /// Attaches a new interface with `address` to `end` and returns its index.
    @discardableResult
    public func attach(to end: LinkEnd, address: UInt32) -> Int {
        let index = interfaces.count
        interfaces.append(Interface(address: address, end: end))
        end.link.onReceive(at: end.side) { [unowned self] frame in self.receive(frame, on: index) }
        return index
    }

    /// Sends `frame` out of interface `index`.
    public func send(_ frame: [UInt8], on index: Int) {
        let end = interfaces[index].end
        end.link.send(frame, from: end.side)
    }

    /// Called when a frame arrives on interface `index`. Subclasses override it.
    open func receive(_ frame: [UInt8], on index: Int) {}
}
