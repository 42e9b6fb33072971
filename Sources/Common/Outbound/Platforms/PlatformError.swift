/// A failed call to Entra ID, F&O or Slack, already classified for the queue. `message` is for the audit log and
/// the operator: it names the method, path and platform error, never a token, a secret or a host.
///
/// The classification is made in one place for every client (`init(answer:…)`, `init(transport:…)`): 429 (or
/// Slack's `ratelimited`) is `rateLimited`, with its `Retry-After` and the pacing bucket it holds back, and never
/// spends an attempt; 408, 5xx and transport failures are `retry` (a 503's `Retry-After` respected); anything
/// else is `permanent`.
public struct PlatformError: Error, CustomStringConvertible, Sendable {
    public enum Disposition: Sendable, Equatable {
        /// Transient: retry with backoff (no sooner than `after` seconds when the platform said so).
        case retry(after: Int?)
        /// 429 / `ratelimited`: try again after `seconds` without spending an attempt, holding back every job of
        /// `rateKey` (`RateKey`) as long; nil holds back only the job that was told.
        case rateLimited(seconds: Int, rateKey: String?)
        /// Retrying will not help.
        case permanent
    }

    public let disposition: Disposition
    public let message: String
    /// The HTTP status, when a response arrived.
    public let status: Int?
    /// The platform's own explanation in plain words (F&O's `innererror.message`), for the person affected.
    public let reason: String?
    /// The request was never sent: the job's deadline had come (`OutboundCaller`).
    public let deadlineReached: Bool
    /// The platform's own error code, when it gave one: Slack's `error` (`missing_scope`), Entra ID's first
    /// `error_codes` entry as `AADSTS7000215`. Never a description (Entra's can name the F&O host).
    public let code: String?
    /// Slack's `needed` scope of a `missing_scope` answer.
    public let neededScope: String?

    public init(_ disposition: Disposition, _ message: String, status: Int? = nil, reason: String? = nil,
                deadlineReached: Bool = false, code: String? = nil, neededScope: String? = nil) {
        self.disposition = disposition
        self.message = message
        self.status = status
        self.reason = reason
        self.deadlineReached = deadlineReached
        self.code = code
        self.neededScope = neededScope
    }

    /// Whether the platform may have acted on the request although no clear answer came back (a timeout, a reset,
    /// a 5xx): such an outcome is settled by asking the platform, never by sending again blindly.
    public var isAmbiguous: Bool {
        guard !deadlineReached else { return false }
        switch disposition {
        case .retry: return true
        case .rateLimited, .permanent: return false
        }
    }

    /// An error answer, classified by its status. `rateKey` is the bucket a 429 from this platform holds back.
    public init(answer response: HTTPResponse, _ message: String, reason: String? = nil, code: String? = nil, rateKey: String?) {
        let disposition: Disposition = switch response.outcome {
        case .rateLimited(let delay): .rateLimited(seconds: Self.seconds(delay), rateKey: rateKey)
        case .retryable(let after): .retry(after: after.map(Self.seconds))
        case .success, .permanent: .permanent
        }
        self.init(disposition, message, status: response.status, reason: reason, code: code)
    }

    /// No response at all.
    public init(transport error: HTTPError, _ message: String) {
        self.init(error.classification == .retryable ? .retry(after: nil) : .permanent, message)
    }

    public var description: String { message }

    static func seconds(_ duration: Duration) -> Int { Int(duration.components.seconds) }
}
