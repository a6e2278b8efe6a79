import Synchronization

/// Counts the objects of simulated runs that are alive (networks, hosts and trace recorders: a
/// recorder holds a run's whole trace, and everything of a run refers to it), for tests that check
/// a run leaves nothing behind: a campaign of a million `check` cases must fit in the memory of one.
///
/// A census counts only objects made while it is bound to the current task
/// (`NetworkCensus.$current.withValue`), so tests running side by side do not see each other's.
public final class NetworkCensus: Sendable {
    @TaskLocal public static var current: NetworkCensus?

    private let counts = Mutex((made: 0, alive: 0))

    public init() {}

    /// Objects made while the census was bound.
    public var made: Int { counts.withLock { $0.made } }
    /// Of those, the ones not yet deinitialised.
    public var alive: Int { counts.withLock { $0.alive } }

    /// Counts a new object; it calls `ended` from its `deinit`.
    func began() {
        counts.withLock {
            $0.made += 1
            $0.alive += 1
        }
    }

    func ended() {
        counts.withLock { $0.alive -= 1 }
    }
}
