/// A chat server's room: every message posted, in order, and the readers waiting for the next
/// one (held long polls, open WebSocket sessions). Messages keep their author and the author's
/// number; the room gives each its place, `seq`, from 0.
final class ChatRoom {
    private(set) var messages: [ChatMessage] = []
    /// How many messages each author has posted (their next `id`).
    private var counts: [String: Int] = [:]
    /// Called for every message posted, in the order the readers joined.
    private var listeners: [(id: Int, notify: (ChatMessage) -> Void)] = []
    private var nextListener = 0

    /// Keeps a message written by `from` at `at` (numbered `id`, else the author's next number);
    /// returns it with its place and number. The readers hear of it from `announce(_:)`.
    func post(from: String, text: String, at: Int64, id: Int? = nil) -> ChatMessage {
        let number = id ?? counts[from, default: 0]
        counts[from] = max(counts[from, default: 0], number + 1)
        let message = ChatMessage(seq: messages.count, from: from, id: number, at: at, text: text)
        messages.append(message)
        return message
    }

    /// Tells every reader about a message just posted.
    func announce(_ message: ChatMessage) {
        for listener in listeners { listener.notify(message) }
    }

    /// The messages from place `since` on.
    func messages(since: Int) -> [ChatMessage] {
        guard since < messages.count else { return [] }
        return Array(messages[max(0, since)...])
    }

    /// Calls `notify` with every message posted from now on, until `leave` is called with the
    /// returned token.
    func listen(_ notify: @escaping (ChatMessage) -> Void) -> Int {
        nextListener += 1
        listeners.append((nextListener, notify))
        return nextListener
    }

    func leave(_ token: Int) {
        listeners.removeAll { $0.id == token }
    }
}
