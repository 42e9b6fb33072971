/// A failed call to Entra ID, F&O or Slack, already classified for the queue. `message` is for the audit log and
/// the operator: it names the method, path and platform error, never a token, a secret or a host.
public struct PlatformError: Error, CustomStringConvertible, Sendable {
    public enum Disposition: Sendable, Equatable {
        /// Transient: retry with backoff (no sooner than `after` seconds when the platform said so).
        case retry(after: Int?)
        /// 429 / `ratelimited`: try again after `seconds` without spending an attempt.
        case rateLimited(seconds: Int)
        /// Retrying will not help.
        case permanent
    }

    public let disposition: Disposition
    public let message: String
    /// The HTTP status, when a response arrived.
    public let status: Int?
    /// The platform's own explanation in plain words (F&O's `innererror.message`), for the person affected.
    public let reason: String?

    public init(_ disposition: Disposition, _ message: String, status: Int? = nil, reason: String? = nil) {
        self.disposition = disposition
        self.message = message
        self.status = status
        self.reason = reason
    }

    public var description: String { message }

    /// The queue outcome for this failure; a rate limit holds back every job of `rateKey`.
    public func outcome(rateKey: String) -> JobOutcome {
        switch disposition {
        case .retry(let after): .retry(error: message, after: after)
        case .rateLimited(let seconds): .snooze(error: message, seconds: seconds, rateKey: rateKey)
        case .permanent: .discard(error: message)
        }
    }
}
