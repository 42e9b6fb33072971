import Core
import Outbound
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running `ml-connector-server` (DESIGN.md §5.3) on a free loopback port, stopped with SIGTERM when released. As a
/// `HandlerServer` it serves the contract table: `handle-business-event` under `/events/…`, `handle-slack-interaction`
/// under `/slack/…`.
final class ServerProcess: HandlerServer, @unchecked Sendable {
    /// `http://127.0.0.1:<port>`.
    let baseURL: String
    let process: BackgroundProcess
    private let client = HTTPClient(configuration: .init(totalTimeout: .seconds(30)))

    var mode: String { "ml-connector-server" }
    var port: Int { Int(baseURL.split(separator: ":").last ?? "") ?? 0 }

    /// Starts the server; `arguments` default to `--port 0`, the environment gets the database, the master key and a
    /// quiet log level unless `environment` says otherwise.
    init(databaseURL: String, arguments: [String] = ["--port", "0"], environment: [String: String] = [:]) throws {
        var env = ["MLC_DATABASE_URL": databaseURL, "MLC_MASTER_KEY": TestEnvironment.masterKey, "MLC_LOG_LEVEL": "warning"]
        env.merge(environment) { $1 }
        process = try BackgroundProcess(TestEnvironment.binary("ml-connector-server"), arguments: arguments, environment: env)
        baseURL = try process.listeningURL("ml-connector-server")
    }

    /// The URL path prefix the server routes to `handler`.
    static func prefix(_ handler: String) -> String {
        handler == "handle-slack-interaction" ? "/slack" : "/events"
    }

    func send(handler: String, method: String, path: String, query: String, headers: [String: String],
              body: [UInt8]) throws -> HandlerResponse {
        try request(method, Self.prefix(handler) + path, query: query, headers: headers, body: body)
    }

    /// Any request to the server (a path of its own, such as `/healthz` or `/api/events/contoso`).
    func request(_ method: String, _ path: String, query: String = "", headers: [String: String] = [:],
                 body: [UInt8] = []) throws -> HandlerResponse {
        let url = baseURL + path + (query.isEmpty ? "" : "?" + query)
        let response = try client.send(HTTPRequest(method: method, url: url, headers: headers.map { ($0.key, $0.value) }, body: body))
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name] = header.value }
        return HandlerResponse(status: response.status, headers: fields, body: response.body, exitStatus: 0,
                               stderr: process.standardError)
    }

    /// SIGTERM, then the exit status.
    func terminate() -> Int32 { process.terminate() }
}
