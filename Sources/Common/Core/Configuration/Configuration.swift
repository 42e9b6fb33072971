public import Logging

/// Everything a binary reads from the environment, parsed once at start (DESIGN.md §4). Every variable that is
/// set is checked, also by a binary that does not use it; what a binary needs shows in the type it loads
/// (`KeyedConfiguration` when it opens secrets).
public struct Configuration: LoadableConfiguration, Sendable {
    public let databaseURL: String
    /// `MLC_MASTER_KEY` (and `MLC_MASTER_KEY_PREVIOUS`), when set.
    public let masterKeys: MasterKeys?
    public let logLevel: Logger.Level
    /// Lease on a claimed job (`MLC_JOB_LEASE_SECONDS`, default 60).
    public let jobLeaseSeconds: Int
    /// First retry delay; doubles per attempt, capped at an hour (`MLC_JOB_RETRY_BASE_SECONDS`, default 10).
    public let jobRetryBaseSeconds: Int
    /// Least time between two posts to one Slack channel, across all workers (`MLC_SLACK_CHANNEL_INTERVAL_MS`,
    /// default 1050: Slack's one message per second per channel plus a margin; 0 turns pacing off).
    public let slackChannelIntervalMilliseconds: Int
    /// Requests a long-running handler process (FastCGI) serves before it exits 0 to be started afresh by its
    /// supervisor (`MLC_MAX_REQUESTS`, a positive integer, default 10000).
    public let maxRequests: Int

    public init(databaseURL: String, masterKeys: MasterKeys? = nil, logLevel: Logger.Level = .info, jobLeaseSeconds: Int = 60,
                jobRetryBaseSeconds: Int = 10, slackChannelIntervalMilliseconds: Int = 1050, maxRequests: Int = 10000) {
        self.databaseURL = databaseURL
        self.masterKeys = masterKeys
        self.logLevel = logLevel
        self.jobLeaseSeconds = jobLeaseSeconds
        self.jobRetryBaseSeconds = jobRetryBaseSeconds
        self.slackChannelIntervalMilliseconds = slackChannelIntervalMilliseconds
        self.maxRequests = maxRequests
    }

    public static func load(from environment: Environment) throws(ConfigurationError) -> Configuration {
        let logLevel = try parseLogLevel(environment)
        let databaseURL = try environment.require("MLC_DATABASE_URL")
        let keys = environment.nonEmpty("MLC_MASTER_KEY") == nil && environment.nonEmpty("MLC_MASTER_KEY_PREVIOUS") == nil
            ? nil : try parseMasterKeys(environment)
        let lease = try wholeNumber(environment, "MLC_JOB_LEASE_SECONDS", default: 60, range: 5...3600)
        let retryBase = try wholeNumber(environment, "MLC_JOB_RETRY_BASE_SECONDS", default: 10, range: 1...3600)
        let slackInterval = try wholeNumber(environment, "MLC_SLACK_CHANNEL_INTERVAL_MS", default: 1050, range: 0...60_000)
        let maxRequests = try wholeNumber(environment, "MLC_MAX_REQUESTS", default: 10000, range: 1...Int(Int32.max))
        return Configuration(databaseURL: databaseURL, masterKeys: keys, logLevel: logLevel, jobLeaseSeconds: lease,
                             jobRetryBaseSeconds: retryBase, slackChannelIntervalMilliseconds: slackInterval,
                             maxRequests: maxRequests)
    }

    /// A whole number in `range` (seconds or milliseconds, as the variable's name says).
    private static func wholeNumber(_ environment: Environment, _ variable: String, default value: Int,
                                range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let raw = environment.nonEmpty(variable) else { return value }
        guard let parsed = Int(raw), range.contains(parsed) else {
            throw ConfigurationError(variable: variable, problem: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return parsed
    }

    public static func parseLogLevel(_ environment: Environment) throws(ConfigurationError) -> Logger.Level {
        guard let raw = environment.nonEmpty("MLC_LOG_LEVEL") else { return .info }
        guard let level = Logger.Level(rawValue: raw.lowercased()), [.debug, .info, .warning, .error].contains(level) else {
            throw ConfigurationError(variable: "MLC_LOG_LEVEL", problem: "must be one of debug, info, warning, error")
        }
        return level
    }

    private static func parseMasterKeys(_ environment: Environment) throws(ConfigurationError) -> MasterKeys {
        let raw = try environment.require("MLC_MASTER_KEY")
        guard let current = MasterKey(base64: raw) else {
            throw ConfigurationError(variable: "MLC_MASTER_KEY", problem: "must be base64 of exactly 32 bytes")
        }
        var previous: MasterKey?
        if let rawPrevious = environment.nonEmpty("MLC_MASTER_KEY_PREVIOUS") {
            guard let key = MasterKey(base64: rawPrevious) else {
                throw ConfigurationError(variable: "MLC_MASTER_KEY_PREVIOUS", problem: "must be base64 of exactly 32 bytes")
            }
            previous = key
        }
        return MasterKeys(current: current, previous: previous)
    }
}
