public import FoundationEssentials
import Core
import Domain

/// A complete HTTP response, whatever its status.
public struct HTTPResponse: Sendable {
    public let status: Int
    /// The final response's header fields in received order, names lower-cased, values trimmed.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]
    /// Wall time of the whole exchange, measured on a monotonic clock.
    public let duration: Duration

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], duration: Duration = .zero) {
        self.status = status
        self.headers = headers.map { (name: $0.name.lowercased(), value: $0.value) }
        self.body = body
        self.duration = duration
    }

    /// The value of the first header field called `name` (case-insensitive), or `nil`.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    /// The status classified for retry decisions, with `Retry-After` measured from the current time.
    public var outcome: HTTPOutcome { outcome(now: Date()) }

    /// The status classified for retry decisions, with `Retry-After` measured from `now`.
    public func outcome(now: Date) -> HTTPOutcome {
        switch status {
        case 200...299: .success
        case 429: .rateLimited(retryAfter: RetryAfter.delay(header("retry-after"), now: now))
        case 503: .retryable(after: header("retry-after").map { RetryAfter.delay($0, now: now) })
        case 408, 500...599: .retryable(after: nil)
        default: .permanent
        }
    }
}
