/// Which way a segment went, relative to its connection key: `forward` from `first` to `second`.
public enum ReplayDirection: String, Hashable, Sendable, CaseIterable {
    case forward, backward

    public var reversed: ReplayDirection { self == .forward ? .backward : .forward }

    /// The end that sends in this direction.
    public func sender(of key: ReplayConnectionKey) -> ReplayEndpoint {
        self == .forward ? key.first : key.second
    }

    /// `client>server:80` for forward, `server:80>client` for backward.
    public func text(of key: ReplayConnectionKey) -> String {
        self == .forward ? "\(key.first)>\(key.second)" : "\(key.second)>\(key.first)"
    }
}
