import Hummingbird
import Inbound
import NIOCore

extension InboundRequest {
    /// The handler's view of a Hummingbird request: `path` is the handler path of `ServerRoute`. The body is read only
    /// for POST (any other method is answered 405 first), and never past `maxBodyBytes`: a declared `Content-Length`
    /// over the limit is refused without reading a byte, an undeclared (chunked) body once it passes the limit.
    static func reading(_ request: Request, path: String, maxBodyBytes: Int = InboundRequest.maxBodyBytes) async throws -> InboundRequest {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        let method = request.method.rawValue
        let query = request.uri.query ?? ""
        guard method == "POST" else { return InboundRequest(method: method, path: path, rawQuery: query, headers: headers, body: []) }
        if let declared = headers["content-length"].flatMap(Int.init), declared > maxBodyBytes {
            return InboundRequest(method: method, path: path, rawQuery: query, headers: headers, body: [], bodyTooLarge: true)
        }
        do {
            let body = try await request.body.collect(upTo: maxBodyBytes)
            return InboundRequest(method: method, path: path, rawQuery: query, headers: headers, body: Array(body.readableBytesView))
        } catch is NIOTooManyBytesError {
            return InboundRequest(method: method, path: path, rawQuery: query, headers: headers, body: [], bodyTooLarge: true)
        }
    }
}
