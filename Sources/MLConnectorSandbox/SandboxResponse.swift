/// The answer to one request, before it is turned into a Hummingbird response.
struct SandboxResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    static func json(_ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = []) -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: value.bytes)
    }

    /// A JSON body sent exactly as given (fixtures whose bytes tests compare).
    static func rawJSON(_ text: String, status: Int, headers: [(name: String, value: String)] = []) -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: Array(text.utf8))
    }

    static func text(_ text: String, status: Int = 200) -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(text.utf8))
    }

    static func empty(status: Int, headers: [(name: String, value: String)] = []) -> SandboxResponse {
        SandboxResponse(status: status, headers: headers, body: [])
    }
}
