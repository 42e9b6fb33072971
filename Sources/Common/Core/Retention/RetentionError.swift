/// A retention period the operator wrote that cannot be used. The message names the kind and quotes at most the
/// first 20 characters of what was written (periods are not secret, but a mistyped argument may be anything).
public struct RetentionError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        case malformedPeriod = "malformed_period"
        case belowMinimum = "below_minimum"
        case aboveMaximum = "above_maximum"
    }

    public let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
