/// An end system: its frames go to a closure (the simulated stack plugs in here).
public final class Host: Node {
    /// Receives every frame arriving on any interface, with the interface's index.
    @exclusivity(unchecked) public var onReceive: ((_ interfaceIndex: Int, _ frame: [UInt8]) -> Void)?

    public override func receive(_ frame: consuming [UInt8], on index: Int) {
        onReceive?(index, frame)
    }
}
