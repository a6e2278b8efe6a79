import Tracing

/// The messages that reach a chat server from elsewhere (other users), at seeded random times:
/// the same traffic whichever way it is then delivered (polling, long polling, WebSocket).
///
/// The gaps are drawn uniformly from [G/2, 3G/2) for a mean gap G, from an `ApplicationRandom`
/// labelled by the server's host alone, so every scenario whose server is called the same and
/// runs with the same seed gets the same messages at the same times. No two messages come within
/// G/2 of each other.
public struct ChatFeed: Sendable {
    /// One message to come: when (after the feed starts), who wrote it, and what.
    public struct Entry: Hashable, Sendable {
        public var offset: Int64
        public var from: String
        public var text: String
    }

    public let entries: [Entry]

    static let authors = ["ana", "ben", "chen"]
    static let phrases = ["hi all", "on my way", "see you at eight", "who has the slides?", "lunch?", "running late",
                          "done, pushed it", "great news!", "call me", "ok"]

    public init(settings: ChatFeedSettings, random: ApplicationRandom) {
        var random = random
        var time: Int64 = 0
        var entries: [Entry] = []
        let half = settings.meanGap / 2
        for _ in 0..<settings.count {
            // Uniform in [G/2, G/2 + G): the modulo bias of a 64-bit draw is below 2^-30 for any
            // gap a scenario can hold.
            time += half + Int64(random.next() % UInt64(max(1, settings.meanGap)))
            let author = Self.authors[Int(random.next() % UInt64(Self.authors.count))]
            let phrase = Self.phrases[Int(random.next() % UInt64(Self.phrases.count))]
            entries.append(Entry(offset: time, from: author, text: phrase))
        }
        self.entries = entries
    }

    /// The label of the feed's random stream for a server on `host`.
    public static func label(host: String) -> String { "\(host) chat feed" }
}
