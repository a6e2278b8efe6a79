/// How the scenario runner's applications call the socket API on a real kernel, and so how the
/// simulated runtime's loopback link (`LinkSpec.loopback`) times them too: one place, so the two
/// cannot drift apart.
public enum ApplicationIO {
    /// Octets passed to one `write()` (a pattern send is made 64 KiB at a time).
    public static let writeSize = 1 << 16
    /// Octets asked of one `read()`.
    public static let readSize = 1 << 16
    /// `read()` calls per wake-up, so other sockets get their turn.
    public static let readsPerWake = 16
}
