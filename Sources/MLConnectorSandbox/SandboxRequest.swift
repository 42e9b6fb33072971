import Core
import Domain
import Outbound
import Interactions

/// One HTTP request as the sandbox's services see it: the whole body already read.
struct SandboxRequest: Sendable {
    /// Upper-case method name (`GET`, `POST`…).
    let method: String
    /// The path as received, still percent-encoded.
    let rawPath: String
    /// The query string as received (without `?`), still percent-encoded; empty when absent.
    let rawQuery: String
    /// Header fields with lower-cased names.
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    /// The percent-decoded path (as received when an escape is malformed).
    var path: String { FormURLEncoding.percentDecode(rawPath) ?? rawPath }

    /// Decoded query parameters in order.
    var queryItems: [(name: String, value: String)] { FormURLEncoding.parse(rawQuery) }

    func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    /// The token of an `Authorization: Bearer <token>` header.
    var bearerToken: String? {
        guard let value = header("authorization") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters()
    }

    /// The body parsed as JSON, or `nil` when it is not valid JSON.
    var jsonBody: JSONValue? { try? JSONParser.parse(body) }

    /// The body parsed as a form.
    var formBody: [(name: String, value: String)] {
        FormURLEncoding.parse(String(decoding: body, as: UTF8.self))
    }
}
