import Core
import Domain

/// One HTTP request. Header names and values are sent as given, in order; `HTTPClient` rejects names that are not
/// HTTP tokens and values containing CR, LF or NUL.
public struct HTTPRequest: Sendable {
    /// An HTTP token such as `GET`, `POST`, `PATCH`.
    public var method: String
    /// An absolute `https://` URL (or `http://` to a loopback host), already percent-encoded.
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Overrides `HTTPClient.Configuration.totalTimeout` for this request.
    public var timeout: Duration?

    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The URL's path, safe for audit logs: no scheme, userinfo, host, port, query or fragment
    /// (`https://contoso.example/data/Vendors?$filter=x` → `/data/Vendors`). `<invalid URL>` if unparsable.
    public var auditTarget: String {
        URLPolicy.parse(url)?.path ?? "<invalid URL>"
    }
}
