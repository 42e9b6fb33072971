/// A CGI/1.1 request (RFC 3875) before its body: what its meta-variables say. The one reading of CGI variables,
/// whether they came from the process environment (CGI) or from a FastCGI request's params, so a request means
/// the same in every serving mode (DESIGN.md §5.3).
public struct CGIRequestHead: Sendable {
    public let method: String
    public let path: String
    public let rawQuery: String
    public let headers: [String: String]
    /// `CONTENT_LENGTH`, 0 when absent.
    public let contentLength: Int
    /// The declared body is over the limit: it is not read, and the request is answered 413.
    public let bodyTooLarge: Bool

    /// The head of the request the variables describe; a malformed `CONTENT_LENGTH` is a 400 before any body is read.
    public static func parse(_ variables: [String: String], maxBodyBytes: Int = InboundRequest.maxBodyBytes)
        -> Result<CGIRequestHead, RequestReadFailure> {
        var headers: [String: String] = [:]
        for (name, value) in variables where name.hasPrefix("HTTP_") {
            headers[name.dropFirst(5).lowercased().replacing("_", with: "-")] = value
        }
        if let type = variables["CONTENT_TYPE"] { headers["content-type"] = type }
        var length = 0
        if let raw = variables["CONTENT_LENGTH"], !raw.isEmpty {
            // RFC 3875: 1*digit — no sign, no space; a length beyond any integer is simply too large (413).
            guard raw.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                return .failure(RequestReadFailure(status: 400, message: "invalid Content-Length"))
            }
            length = Int(raw) ?? Int.max
            headers["content-length"] = raw
        }
        return .success(CGIRequestHead(method: variables["REQUEST_METHOD"] ?? "GET", path: variables["PATH_INFO"] ?? "",
                                       rawQuery: variables["QUERY_STRING"] ?? "", headers: headers, contentLength: length,
                                       bodyTooLarge: length > maxBodyBytes))
    }

    /// How many body bytes to read: none when the body is refused for its size.
    public var bytesToRead: Int { bodyTooLarge ? 0 : contentLength }

    /// The request with the body that was read (`bytesToRead` bytes, fewer when the input ended early: a 400).
    public func request(body: [UInt8]) -> Result<InboundRequest, RequestReadFailure> {
        if body.count < bytesToRead {
            return .failure(RequestReadFailure(status: 400, message: "request body shorter than Content-Length"))
        }
        return .success(InboundRequest(method: method, path: path, rawQuery: rawQuery, headers: headers,
                                       body: bodyTooLarge ? [] : body, bodyTooLarge: bodyTooLarge))
    }
}
