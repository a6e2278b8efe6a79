import Tracing
public struct SVGLadderRenderer: Sendable {
    public init(trace: Trace, options: DiagramOptions = DiagramOptions()) {}
    public func render() -> String { "" }
}
