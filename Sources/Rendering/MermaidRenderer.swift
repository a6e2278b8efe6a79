import Tracing

/// The ladder as a Mermaid `sequenceDiagram`: a participant per lifeline, `->>` for a packet,
/// `-x` for a lost one, `Note over` for state changes and timers that fired. A packet is
/// written at its arrival (Mermaid draws no transit time), so a state note follows the packet that
/// caused it: the client's FIN-WAIT-2 comes after the ACK of its FIN, before the server's FIN.
///
/// Participants get plain identifiers (`P1`, `P2`, …) aliased to their names, so names with
/// colons or dots are safe; message and note text has Mermaid's specials (`;`, `#`, `%`, `<`,
/// `>`, `:` in notes is fine) written as entity codes.
public enum MermaidRenderer {
    public static func render(_ trace: Trace, options: DiagramOptions = DiagramOptions()) -> String {
        render(LadderModel(trace: trace, sequence: options.sequence))
    }

    public static func render(_ model: LadderModel) -> String {
        var lines = ["sequenceDiagram"]
        lines.append("    title \(escape(model.trace.header.scenario))")
        for (l, lifeline) in model.lifelines.enumerated() {
            lines.append("    participant P\(l + 1) as \(escape(lifeline.name))")
        }
        for row in model.rows {
            switch row.content {
            case .send(let f):
                // A packet that arrives is written where it arrives, so the notes of what it
                // caused follow it; one that never arrives is written where it left.
                let flight = model.flights[f]
                guard flight.arrivals.isEmpty || flight.isLost else { continue }
                lines.append(message(flight))
            case .arrival(let f, let duplicate):
                let flight = model.flights[f]
                guard !duplicate, !flight.isLost else { continue }
                lines.append(message(flight))
            case .state(let s):
                let mark = model.states[s]
                var text = mark.state.rawValue
                if let peer = mark.peer { text += " (\(peer))" }
                lines.append("    Note over P\(mark.lifeline + 1): \(escape(text))")
            case .timerFired(let t):
                let span = model.timers[t]
                lines.append("    Note over P\(span.lifeline + 1): \(escape(LadderRenderer.timerText(span.timer)))")
            case .hostDrop:
                continue
            }
        }
        func message(_ flight: LadderModel.Flight) -> String {
            let from = "P\(flight.from + 1)", to = "P\(flight.to + 1)"
            if let drop = flight.drop {
                return "    \(from)-x\(to): \(escape(flight.label)) lost (\(escape(drop.reason.description)))"
            }
            return "    \(from)->>\(to): \(escape(flight.label))"
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text safe in a Mermaid message or note: entity codes for the characters Mermaid parses.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case ";": out += "#59;"
            case "#": out += "#35;"
            case "%": out += "#37;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "\n", "\r": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
