import Foundation

/// FastCGI (DESIGN.md §5.3): each handler binary runs once, long-running, with a listening socket on fd 0, and every
/// request goes to it over a new FastCGI connection — or over one kept connection (`FCGI_KEEP_CONN`) when `keepConnection`.
final class FastCGIServer: HandlerServer {
    let databaseURL: String
    let environment: [String: String]
    let keepConnection: Bool
    private var processes: [String: FastCGIHandlerProcess] = [:]
    private var kept: [String: FastCGIClient] = [:]
    private var nextID: UInt16 = 1

    init(databaseURL: String, environment: [String: String] = [:], keepConnection: Bool = false) {
        self.databaseURL = databaseURL
        self.environment = environment
        self.keepConnection = keepConnection
    }

    var mode: String { keepConnection ? "fastCGI (kept connection)" : "fastCGI" }

    /// The long-running process of `handler`, started on first use.
    func process(_ handler: String) throws -> FastCGIHandlerProcess {
        if let process = processes[handler] { return process }
        var env = environment
        env["MLC_DATABASE_URL"] = databaseURL
        env["MLC_LOG_LEVEL"] = env["MLC_LOG_LEVEL"] ?? "error"
        let process = try FastCGIHandlerProcess(binary: TestEnvironment.binary(handler), environment: env)
        processes[handler] = process
        return process
    }

    func send(handler: String, method: String, path: String, query: String, headers: [String: String],
              body: [UInt8]) throws -> HandlerResponse {
        let process = try process(handler)
        let client = try kept[handler] ?? process.client()
        if keepConnection { kept[handler] = client }
        nextID = nextID == UInt16.max ? 1 : nextID + 1
        let response = try client.exchange(nextID, keep: keepConnection, method: method, path: path, query: query,
                                           headers: headers, body: body)
        return HandlerResponse(status: response.status, headers: response.headers, body: response.body,
                               exitStatus: 0, stderr: process.standardError)
    }
}
