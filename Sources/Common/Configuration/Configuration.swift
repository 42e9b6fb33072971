/// Everything a binary reads from the environment, parsed once at start (DESIGN.md §4).
public struct Configuration: Sendable {
    /// What a binary needs beyond the database URL.
    public struct Needs: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// `MLC_MASTER_KEY` (and optionally `MLC_MASTER_KEY_PREVIOUS`).
        public static let masterKey = Needs(rawValue: 1)
    }

    public let databaseURL: String
    public let masterKeys: MasterKeys?
    public let logLevel: LogLevel
    /// Lease on a claimed job (`MLC_JOB_LEASE_SECONDS`, default 60).
    public let jobLeaseSeconds: Int
    /// First retry delay; doubles per attempt, capped at an hour (`MLC_JOB_RETRY_BASE_SECONDS`, default 10).
    public let jobRetryBaseSeconds: Int
    /// Least time between two posts to one Slack channel, across all workers (`MLC_SLACK_CHANNEL_INTERVAL_MS`,
    /// default 1050: Slack's one message per second per channel plus a margin; 0 turns pacing off).
    public let slackChannelIntervalMilliseconds: Int

    public init(databaseURL: String, masterKeys: MasterKeys?, logLevel: LogLevel = .info, jobLeaseSeconds: Int = 60,
                jobRetryBaseSeconds: Int = 10, slackChannelIntervalMilliseconds: Int = 1050) {
        self.databaseURL = databaseURL
        self.masterKeys = masterKeys
        self.logLevel = logLevel
        self.jobLeaseSeconds = jobLeaseSeconds
        self.jobRetryBaseSeconds = jobRetryBaseSeconds
        self.slackChannelIntervalMilliseconds = slackChannelIntervalMilliseconds
    }

    public static func load(from environment: Environment, needs: Needs = []) throws(ConfigurationError) -> Configuration {
        let logLevel = try parseLogLevel(environment)
        let databaseURL = try environment.require("MLC_DATABASE_URL")
        var keys: MasterKeys?
        if needs.contains(.masterKey) {
            keys = try parseMasterKeys(environment)
        }
        let lease = try wholeNumber(environment, "MLC_JOB_LEASE_SECONDS", default: 60, range: 5...3600)
        let retryBase = try wholeNumber(environment, "MLC_JOB_RETRY_BASE_SECONDS", default: 10, range: 1...3600)
        let slackInterval = try wholeNumber(environment, "MLC_SLACK_CHANNEL_INTERVAL_MS", default: 1050, range: 0...60_000)
        return Configuration(databaseURL: databaseURL, masterKeys: keys, logLevel: logLevel, jobLeaseSeconds: lease,
                             jobRetryBaseSeconds: retryBase, slackChannelIntervalMilliseconds: slackInterval)
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

    public static func parseLogLevel(_ environment: Environment) throws(ConfigurationError) -> LogLevel {
        guard let raw = environment.nonEmpty("MLC_LOG_LEVEL") else { return .info }
        guard let level = LogLevel(rawValue: raw.lowercased()) else {
            throw ConfigurationError(variable: "MLC_LOG_LEVEL", problem: "must be one of debug, info, warning, error")
        }
        return level
    }

    static func parseMasterKeys(_ environment: Environment) throws(ConfigurationError) -> MasterKeys {
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
