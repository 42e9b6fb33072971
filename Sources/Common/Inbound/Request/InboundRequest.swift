import Core
import Domain

/// One HTTP request as the handlers see it, whichever way it arrived (CGI or function event).
public struct InboundRequest: Sendable {
    public let method: String
    /// The request path (`PATH_INFO` or `rawPath`).
    public let path: String
    /// The raw query string, without `?`.
    public let rawQuery: String
    /// Header names lower-cased with `-` separators (`content-type`, `x-slack-signature`).
    public let headers: [String: String]
    /// The raw body bytes; empty when `bodyTooLarge`.
    public let body: [UInt8]
    /// The declared body exceeded the limit and was not read.
    public let bodyTooLarge: Bool

    public init(method: String, path: String, rawQuery: String, headers: [String: String], body: [UInt8], bodyTooLarge: Bool = false) {
        self.method = method.uppercased()
        self.path = path
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
        self.bodyTooLarge = bodyTooLarge
    }

    /// Bodies above this are refused with 413 without being read further (DESIGN.md §5).
    public static let maxBodyBytes = 1 << 20

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The last path segment, or `default` for an empty path.
    public var connectionName: String {
        let segment = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? ""
        let decoded = FormURLEncoding.percentDecode(segment) ?? segment
        return decoded.isEmpty ? "default" : decoded
    }

    /// The first value of a query parameter, percent-decoded.
    public func queryValue(_ name: String) -> String? {
        FormURLEncoding.parse(rawQuery).first { $0.name == name }?.value
    }

    /// The media type of `Content-Type` without parameters, lower-cased; nil when absent or empty.
    public var mediaType: String? {
        guard let raw = header("content-type") else { return nil }
        let type = raw.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: " \t") } ?? ""
        return type.isEmpty ? nil : type.lowercased()
    }
}

