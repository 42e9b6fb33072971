/// A missing or malformed environment variable. Names the variable, never echoes its value.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    public let variable: String
    public let problem: String

    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    public static func missing(_ variable: String) -> ConfigurationError {
        ConfigurationError(variable: variable, problem: "is required but not set")
    }

    public var description: String { "configuration error: \(variable) \(problem)" }

    /// The exit status for configuration errors (EX_CONFIG).
    public static let exitCode: Int32 = 78
}
