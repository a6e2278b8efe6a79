import Tracing

/// One chat message as the chat applications exchange it: a small JSON object, the form a
/// browser's `JSON.parse` reads, e.g.
///
///     {"seq":4,"from":"ana","id":2,"at":3500000000,"text":"on my way"}
///
/// `from` and `id` name the message (its author, and the author's own count from 0); `at` is when
/// it was posted, in nanoseconds on the runtime's clock, so a reader computes its delivery latency
/// on the same clock (the simulator's, or one loopback network's). `seq` is its place in a chat
/// server's room (absent where there is no server, as over MQTT), which a polling reader asks
/// from (`since`).
public struct ChatMessage: Hashable, Sendable {
    public var seq: Int?
    public var from: String
    public var id: Int
    public var at: Int64
    public var text: String

    public init(seq: Int? = nil, from: String, id: Int, at: Int64, text: String) {
        self.seq = seq
        self.from = from
        self.id = id
        self.at = at
        self.text = text
    }

    /// The JSON object, members in the order above.
    public var json: JSONValue {
        .object((seq.map { [("seq", JSONValue.int(Int64($0)))] } ?? [])
            + [("from", .string(from)), ("id", .int(Int64(id))), ("at", .int(at)), ("text", .string(text))])
    }

    /// The JSON text as UTF-8.
    public var bytes: [UInt8] { Array(json.compactText.utf8) }

    /// A message from its JSON object; nil unless it has `from`, `id`, `at` and `text` of the
    /// right types (extra members are ignored).
    public init?(json: JSONValue) {
        guard let from = json["from"]?.stringValue, let id = json["id"]?.intValue, let at = json["at"]?.intValue,
              let text = json["text"]?.stringValue, id >= 0, id <= Int64(Int32.max) else { return nil }
        self.init(seq: json["seq"]?.intValue.map { Int(clamping: $0) }, from: from, id: Int(id), at: at, text: text)
    }

    /// A message from JSON text, or nil.
    public init?(bytes: [UInt8]) {
        guard let value = try? JSONParser().parse(bytes: bytes) else { return nil }
        self.init(json: value)
    }

    /// A poll's answer: the messages as a JSON array.
    public static func list(_ messages: [ChatMessage]) -> [UInt8] {
        Array(JSONValue.array(messages.map(\.json)).compactText.utf8)
    }

    /// The messages of a poll's answer; nil when it is not a JSON array of messages.
    public static func list(from bytes: [UInt8]) -> [ChatMessage]? {
        guard let values = (try? JSONParser().parse(bytes: bytes))?.arrayValue else { return nil }
        let messages = values.compactMap(ChatMessage.init(json:))
        return messages.count == values.count ? messages : nil
    }
}
