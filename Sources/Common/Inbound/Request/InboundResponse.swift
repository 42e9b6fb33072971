public import Core
import Domain

/// A response for the web server or function platform.
public struct InboundResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ status: Int, _ value: JSONValue, headers: [(name: String, value: String)] = []) -> InboundResponse {
        InboundResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: value.serializedBytes())
    }

    /// `{"error":"<message>"}` with the given status.
    public static func error(_ status: Int, _ message: String, headers: [(name: String, value: String)] = []) -> InboundResponse {
        json(status, ["error": .string(message)], headers: headers)
    }

    public static func == (lhs: InboundResponse, rhs: InboundResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name)\u{0}\($0.value)" } == rhs.headers.map { "\($0.name)\u{0}\($0.value)" }
    }

    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
