/// One parameterised statement, built by string interpolation: every interpolated value becomes a `$n` parameter
/// in text form — never SQL text — so a statement reads in order and no one counts placeholders by hand:
///
///     try db.query("UPDATE approval SET state = \(state) WHERE id = \(id) AND state = ANY(\(sources)::text[])")
///
/// `\(raw:)` splices constant SQL (a column list kept in a `static let`), never a value; `\(sql:)` splices another
/// statement fragment with its own parameters, renumbered.
public struct SQL: ExpressibleByStringInterpolation {
    fileprivate enum Segment {
        case text(String)
        /// Index into `parameters`.
        case parameter(Int)
    }

    fileprivate let segments: [Segment]
    /// The parameters' text forms in `$1`, `$2`, … order; nil is SQL NULL.
    public let parameters: [String?]

    public init(stringLiteral value: String) {
        segments = [.text(value)]
        parameters = []
    }

    public init(stringInterpolation: Interpolation) {
        segments = stringInterpolation.segments
        parameters = stringInterpolation.parameters
    }

    /// The statement text with `$n` placeholders.
    public var text: String {
        segments.map { segment in
            switch segment {
            case .text(let text): text
            case .parameter(let index): "$\(index + 1)"
            }
        }.joined()
    }

    public struct Interpolation: StringInterpolationProtocol {
        fileprivate var segments: [Segment] = []
        fileprivate var parameters: [String?] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            segments.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) { segments.append(.text(literal)) }

        /// A value, bound as the next parameter.
        public mutating func appendInterpolation(_ value: some PostgresParameter) {
            segments.append(.parameter(parameters.count))
            parameters.append(value.postgresText)
        }

        /// Constant SQL text (a column list); never a value.
        public mutating func appendInterpolation(raw constant: String) { segments.append(.text(constant)) }

        /// Another fragment, its parameters numbered after the ones before it.
        public mutating func appendInterpolation(sql fragment: SQL) {
            let offset = parameters.count
            for segment in fragment.segments {
                switch segment {
                case .text: segments.append(segment)
                case .parameter(let index): segments.append(.parameter(index + offset))
                }
            }
            parameters += fragment.parameters
        }
    }
}
