import CCurl
import Synchronization
import Core
import Domain

/// A blocking HTTP/1.1 + HTTP/2 client over libcurl.
///
/// One client owns one libcurl easy handle, reused for every request so that connections (and TLS sessions) are
/// kept alive between requests. Requests on one client are serialised by a mutex; the client is `Sendable`.
/// Redirects are never followed, TLS verification is never disabled, and `URLPolicy` is enforced before any I/O.
/// Any HTTP status is returned as an `HTTPResponse`; `HTTPError` means no complete response was received.
public final class HTTPClient: Sendable {
    public struct Configuration: Sendable {
        /// Limit for name resolution plus TCP and TLS connection set-up.
        public var connectTimeout: Duration
        /// Limit for the whole exchange; `HTTPRequest.timeout` overrides it per request.
        public var totalTimeout: Duration
        /// Sent as `User-Agent` unless a request sets that header itself.
        public var userAgent: String
        /// Larger response bodies fail with `HTTPError.responseTooLarge`.
        public var maxResponseBytes: Int

        public init(
            connectTimeout: Duration = .seconds(5),
            totalTimeout: Duration = .seconds(20),
            userAgent: String = "ml-connector",
            maxResponseBytes: Int = 8 * 1024 * 1024
        ) {
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.userAgent = userAgent
            self.maxResponseBytes = maxResponseBytes
        }
    }

    public let configuration: Configuration
    /// Created on first use, so that `init` cannot fail.
    private let easy = Mutex<CurlEasy?>(nil)

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Sends `request` and waits for the complete response. Throws `.invalidRequest` for a method or header name
    /// that is not an HTTP token, a header value (or the user agent) containing CR, LF or NUL, or a HEAD with a body.
    ///
    /// A body is sent (with `Content-Length`, and without a default `Content-Type`) when it is non-empty or the
    /// method is POST, PUT or PATCH. `Expect: 100-continue` is never sent.
    public func send(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        try URLPolicy.check(request.url)
        guard Self.isToken(request.method), !(request.method == "HEAD" && !request.body.isEmpty),
              Self.isFieldValue(configuration.userAgent),
              request.headers.allSatisfy({ Self.isToken($0.name) && Self.isFieldValue($0.value) })
        else { throw HTTPError(.invalidRequest, .permanent) }

        return try easy.withLock { (easy: inout CurlEasy?) throws(HTTPError) -> HTTPResponse in
            if let easy { return try perform(request, on: easy) }
            let created = try CurlEasy()
            easy = created
            return try perform(request, on: created)
        }
    }

    private func perform(_ request: HTTPRequest, on easy: CurlEasy) throws(HTTPError) -> HTTPResponse {
        let start = ContinuousClock.now
        let sendsBody = !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method)

        easy.reset()
        try easy.set(CURLOPT_URL, request.url)
        try easy.set(CURLOPT_NOSIGNAL, 1)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "https")
        try easy.set(CURLOPT_FOLLOWLOCATION, 0)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(configuration.connectTimeout))
        try easy.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout ?? configuration.totalTimeout))
        try easy.set(CURLOPT_USERAGENT, configuration.userAgent)
        if request.method == "HEAD" {
            try easy.set(CURLOPT_NOBODY, 1)
        } else if request.method != (sendsBody ? "POST" : "GET") {
            try easy.set(CURLOPT_CUSTOMREQUEST, request.method)
        }

        // `Name;` is libcurl's spelling of an empty header; `Name:` removes a header libcurl would add itself.
        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        let names = Set(request.headers.map { $0.name.lowercased() })
        if !names.contains("expect") { lines.append("Expect:") }
        if sendsBody && !names.contains("content-type") { lines.append("Content-Type:") }

        let result = try easy.perform(
            headerLines: lines,
            body: sendsBody ? request.body : nil,
            maxResponseBytes: configuration.maxResponseBytes
        )
        return HTTPResponse(status: result.status, headers: result.headers, body: result.body,
                            duration: ContinuousClock.now - start)
    }

    /// Whole milliseconds, rounded up and at least 1 (libcurl reads 0 as "no timeout").
    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let milliseconds = (Double(seconds) * 1000 + Double(attoseconds) / 1e15).rounded(.up)
        return Int(min(max(milliseconds, 1), Double(Int32.max)))
    }

    /// RFC 9110 `token`: a method or header name.
    private static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "A")...UInt8(ascii: "Z"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }

    /// A header value that cannot split the header block: no CR, LF or NUL.
    private static func isFieldValue(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }
}
