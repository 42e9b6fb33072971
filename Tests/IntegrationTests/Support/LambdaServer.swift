import Outbound
import Foundation

/// The AWS Lambda runtime loop (DESIGN.md §5.3 item 1): each handler binary started once, on first use, against a
/// sandbox Runtime API of its own, and every request sent to it as an HTTP API payload 2.0 invocation.
final class LambdaServer: HandlerServer {
    let databaseURL: String
    let environment: [String: String]
    private var functions: [String: LambdaFunction] = [:]

    init(databaseURL: String, environment: [String: String] = [:]) {
        self.databaseURL = databaseURL
        self.environment = environment
    }

    var mode: String { "lambda" }

    /// The running function of `handler`, started when first asked for.
    func function(_ handler: String) throws -> LambdaFunction {
        if let running = functions[handler] { return running }
        var env = environment
        env["MLC_DATABASE_URL"] = databaseURL
        let started = try LambdaFunction(handler: handler, environment: env)
        functions[handler] = started
        return started
    }

    func send(handler: String, method: String, path: String, query: String, headers: [String: String],
              body: [UInt8]) throws -> HandlerResponse {
        let function = try function(handler)
        let answer = try function.invoke(try HandlerInvocation.functionEvent(method: method, path: path, query: query,
                                                                              headers: headers, body: body))
        guard answer.status == 200, answer.header("X-Amz-Function-Error") == nil else {
            throw UnexpectedOutput(text: "invoke answered \(answer.status): \(String(decoding: answer.body, as: UTF8.self))\n"
                                   + function.standardError)
        }
        return try HandlerInvocation.parse(.functionEvent, ProcessResult(status: 0, stdout: answer.body, stderr: function.standardError))
    }
}
