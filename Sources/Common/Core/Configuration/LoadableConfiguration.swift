public import Logging

/// A configuration a binary loads once at start; its type says what the binary needs.
public protocol LoadableConfiguration: Sendable {
    /// Parses the environment, naming the first missing or malformed variable.
    static func load(from environment: Environment) throws(ConfigurationError) -> Self
    var logLevel: Logger.Level { get }
    /// Requests a long-running handler process serves before it recycles itself (`MLC_MAX_REQUESTS`).
    var maxRequests: Int { get }
}
