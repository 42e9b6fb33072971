import Core
import Domain

/// How a caller should treat an HTTP status (see `HTTPResponse.outcome`).
public enum HTTPOutcome: Hashable, Sendable {
    /// 2xx.
    case success
    /// 429; wait `retryAfter` (from `Retry-After`, default 30 s, clamped to 1 s...1 h) before trying again.
    case rateLimited(retryAfter: Duration)
    /// 408 or 5xx; retry with backoff. `after` is set only for a 503 carrying `Retry-After`.
    case retryable(after: Duration?)
    /// Anything else (other 4xx, 1xx, 3xx — redirects are never followed); retrying will not help.
    case permanent
}
