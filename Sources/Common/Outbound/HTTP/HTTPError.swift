import Core
import Domain

/// A failure to obtain an HTTP response at all (an HTTP error *status* is a normal `HTTPResponse`).
///
/// `description` is redacted by construction: it is built only from the error code, the numeric libcurl code and
/// libcurl's static message for that code — never from the URL (host, query), headers or bodies.
public struct HTTPError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, coarsely. Compare with the static members: `error.code == .timeout`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case invalidURL, insecureURL, invalidRequest, connectFailed, timeout, tls, responseTooLarge, transport
        }

        private let kind: Kind

        private init(_ kind: Kind) { self.kind = kind }

        /// The URL could not be parsed (or libcurl rejected it).
        public static let invalidURL = Code(.invalidURL)
        /// Not https, and not plain http to a loopback host.
        public static let insecureURL = Code(.insecureURL)
        /// A method or header name that is not an HTTP token, a header value containing CR/LF/NUL, or a HEAD body.
        public static let invalidRequest = Code(.invalidRequest)
        /// DNS resolution failed or the connection was refused/unreachable.
        public static let connectFailed = Code(.connectFailed)
        /// The connect timeout or the total timeout expired.
        public static let timeout = Code(.timeout)
        /// TLS handshake or certificate verification failed.
        public static let tls = Code(.tls)
        /// The response body exceeded the configured maximum.
        public static let responseTooLarge = Code(.responseTooLarge)
        /// Any other transport failure (connection reset, malformed response, …).
        public static let transport = Code(.transport)

        public var description: String {
            switch kind {
            case .invalidURL: "invalid URL"
            case .insecureURL: "insecure URL (plain http is allowed only to loopback hosts)"
            case .invalidRequest: "invalid request method or header"
            case .connectFailed: "connect failed"
            case .timeout: "timed out"
            case .tls: "TLS failure"
            case .responseTooLarge: "response too large"
            case .transport: "transport error"
            }
        }
    }

    /// What a caller should do about it. (A transport failure is never a rate limit: that is a status,
    /// `HTTPOutcome.rateLimited`.)
    public enum Classification: Hashable, Sendable {
        /// Transient; retry with backoff.
        case retryable
        /// Retrying the same request will not help.
        case permanent
    }

    public let code: Code
    public let classification: Classification
    /// The libcurl `CURLcode` number, when the failure came from libcurl (for diagnostics).
    public let curlCode: Int?
    /// A static, secret-free detail (libcurl's generic message for `curlCode`, or the size limit).
    private let detail: String?

    init(_ code: Code, _ classification: Classification, curlCode: Int? = nil, detail: String? = nil) {
        self.code = code
        self.classification = classification
        self.curlCode = curlCode
        self.detail = detail
    }

    public var description: String {
        var text = "HTTP \(code)"
        switch (curlCode, detail) {
        case let (curl?, detail?): text += " (curl \(curl): \(detail))"
        case let (curl?, nil): text += " (curl \(curl))"
        case let (nil, detail?): text += " (\(detail))"
        case (nil, nil): break
        }
        return text
    }
}
