import Foundation

/// One way of serving a handler binary, so the same table of contract cases runs in every serving mode of
/// DESIGN.md §5.3: a process per request (CGI, one function event), a long-running FastCGI process, the Lambda
/// runtime loop against the sandbox's Runtime API, `ml-connector-server`.
protocol HandlerServer: AnyObject {
    /// Which mode this is, for test names.
    var mode: String { get }
    /// Sends one request to `handler` (`handle-business-event` or `handle-slack-interaction`) and returns its answer.
    func send(handler: String, method: String, path: String, query: String, headers: [String: String],
              body: [UInt8]) throws -> HandlerResponse
}

/// CGI or one function event: a new process per request, as `HandlerInvocation`.
final class ProcessPerRequest: HandlerServer {
    let format: RequestFormat
    let databaseURL: String
    let environment: [String: String]

    init(_ format: RequestFormat, databaseURL: String, environment: [String: String] = [:]) {
        self.format = format
        self.databaseURL = databaseURL
        self.environment = environment
    }

    var mode: String { format.rawValue }

    func send(handler: String, method: String, path: String, query: String, headers: [String: String],
              body: [UInt8]) throws -> HandlerResponse {
        try HandlerInvocation(binary: TestEnvironment.binary(handler), databaseURL: databaseURL, extraEnvironment: environment)
            .send(format, method: method, path: path, query: query, headers: headers, body: body)
    }
}
