/// Keeps SVG text labels from overlapping: each label is a box (rotated with its text) and is
/// placed at the first of its candidate positions that overlaps no box placed before; a label
/// with no free position is left out. Widths are estimated (0.6 em a character, 1 em for wide
/// CJK characters), a little generously, as no font is at hand.
struct LabelPlacer {
    /// A text's box: centre, half extents along and across the text, and the text's direction.
    struct Box {
        var cx, cy, halfWidth, halfHeight, cos, sin: Double

        var corners: [(Double, Double)] {
            [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1)].map { s in
                (cx + s.0 * halfWidth * cos - s.1 * halfHeight * sin, cy + s.0 * halfWidth * sin + s.1 * halfHeight * cos)
            }
        }

        /// Separating-axis test between two rotated rectangles.
        func overlaps(_ other: Box) -> Bool {
            let a = corners, b = other.corners
            for axis in [(cos, sin), (-sin, cos), (other.cos, other.sin), (-other.sin, other.cos)] {
                let pa = a.map { $0.0 * axis.0 + $0.1 * axis.1 }, pb = b.map { $0.0 * axis.0 + $0.1 * axis.1 }
                if pa.max()! <= pb.min()! || pb.max()! <= pa.min()! { return false }
            }
            return true
        }

        var minX: Double { corners.map(\.0).min()! }
        var maxX: Double { corners.map(\.0).max()! }
        var minY: Double { corners.map(\.1).min()! }
        var maxY: Double { corners.map(\.1).max()! }
    }

    enum Anchor { case start, middle, end }

    private(set) var placed: [Box] = []
    /// Space kept free around every label.
    static let padding = 1.5

    /// Estimated width of `text` at `size` px.
    static func width(_ text: String, size: Double) -> Double {
        var ems = 0.0
        for scalar in text.unicodeScalars { ems += scalar.value >= 0x2E80 ? 1.0 : 0.6 }
        return ems * size
    }

    /// The box of `text` drawn at (x, y) (its baseline) with `anchor`, rotated by `degrees`
    /// about (rx, ry).
    static func box(_ text: String, x: Double, y: Double, size: Double, anchor: Anchor,
                    degrees: Double = 0, about: (Double, Double)? = nil) -> Box {
        let w = width(text, size: size)
        let left = anchor == .start ? x : anchor == .middle ? x - w / 2 : x - w
        // Unrotated centre: text spans the baseline up 0.8 em and down 0.2 em.
        var cx = left + w / 2, cy = y - 0.3 * size
        let radians = degrees * 3.141592653589793 / 180
        let c = cosine(radians), s = sine(radians)
        if let (rx, ry) = about {
            let dx = cx - rx, dy = cy - ry
            cx = rx + dx * c - dy * s
            cy = ry + dx * s + dy * c
        }
        return Box(cx: cx, cy: cy, halfWidth: w / 2 + padding, halfHeight: size / 2 + padding, cos: c, sin: s)
    }

    func isFree(_ box: Box) -> Bool { !placed.contains { $0.overlaps(box) } }

    /// Places the first free box of `candidates`; returns its index, or nil when none is free.
    mutating func place(_ candidates: [Box]) -> Int? {
        for (i, box) in candidates.enumerated() where isFree(box) {
            placed.append(box)
            return i
        }
        return nil
    }

    /// Takes `box` whatever it overlaps (for things that must be drawn where they are).
    mutating func reserve(_ box: Box) { placed.append(box) }
}

/// Sine and cosine by Taylor series after reducing to [-π, π]; enough for drawing, without Foundation.
func sine(_ x: Double) -> Double {
    let pi = 3.141592653589793
    var x = x.truncatingRemainder(dividingBy: 2 * pi)
    if x > pi { x -= 2 * pi } else if x < -pi { x += 2 * pi }
    var term = x, sum = x
    for n in 1...10 {
        term *= -x * x / Double((2 * n) * (2 * n + 1))
        sum += term
    }
    return sum
}

func cosine(_ x: Double) -> Double { sine(x + 3.141592653589793 / 2) }
