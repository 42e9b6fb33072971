import Core
import Foundation

/// The Lambda Runtime API stand-in (`/2018-06-01/runtime/…`, as AWS documents it) and its control API
/// (`/_sandbox/lambda/…`): a function started with `AWS_LAMBDA_RUNTIME_API=127.0.0.1:<port>` long-polls `next`
/// here, and tests or the demo invoke it with `POST /_sandbox/lambda/invoke`.
struct LambdaRuntimeRoutes {
    static let runtimePrefix = "/2018-06-01/runtime/"
    static let controlPrefix = "/_sandbox/lambda/"
    static let functionARN = "arn:aws:lambda:us-east-1:000000000000:function:ml-connector-sandbox"
    /// How long an invoke waits for the answer unless `timeout_ms` says otherwise (also the function's deadline).
    static let defaultTimeoutMs = 30_000

    let api: LambdaRuntimeAPI

    static func serves(_ path: String) -> Bool { path.hasPrefix(runtimePrefix) || path.hasPrefix(controlPrefix) }

    func respond(to request: SandboxRequest, nowMs: Int64) async -> SandboxResponse {
        let path = request.path
        if path.hasPrefix(Self.controlPrefix) {
            return await control(request, route: path.dropFirst(Self.controlPrefix.count).split(separator: "/").map(String.init), nowMs: nowMs)
        }
        let route = path.dropFirst(Self.runtimePrefix.count).split(separator: "/").map(String.init)
        switch (request.method, route.count, route.first, route.last) {
        case ("GET", 2, "invocation", "next"):
            return await next()
        case ("POST", 3, "invocation", "response"):
            return answered { () throws(LambdaRuntimeAPI.Refusal) in try api.respond(route[1], body: request.body) }
        case ("POST", 3, "invocation", "error"):
            return answered { () throws(LambdaRuntimeAPI.Refusal) in
                try api.fail(route[1], body: request.body, errorType: request.header("lambda-runtime-function-error-type"))
            }
        case ("POST", 2, "init", "error"):
            api.initError(body: request.body, errorType: request.header("lambda-runtime-function-error-type"), nowMs: nowMs)
            return accepted
        case (_, 2, "invocation", "next"), (_, 3, "invocation", "response"), (_, 3, "invocation", "error"), (_, 2, "init", "error"):
            return Self.error(405, "MethodNotAllowed", "\(request.method) is not allowed on \(path)")
        default:
            return Self.error(404, "NotFound", "no Runtime API resource at \(path)")
        }
    }

    private func next() async -> SandboxResponse {
        guard let invocation = await api.next() else { return Self.error(500, "Superseded", "another next request took this one's place") }
        return SandboxResponse(status: 200, headers: [
            ("Content-Type", "application/json"),
            ("Lambda-Runtime-Aws-Request-Id", invocation.requestID),
            ("Lambda-Runtime-Deadline-Ms", String(invocation.deadlineMs)),
            ("Lambda-Runtime-Invoked-Function-Arn", Self.functionARN),
            ("Lambda-Runtime-Trace-Id", Self.traceID(invocation.deadlineMs)),
        ], body: invocation.event)
    }

    private var accepted: SandboxResponse { .json(.object(["status": .string("OK")]), status: 202) }

    /// 202 `{"status":"OK"}`, or AWS's 400 for an unknown or already answered request id and 413 over 6 MiB.
    private func answered(_ settle: () throws(LambdaRuntimeAPI.Refusal) -> Void) -> SandboxResponse {
        do {
            try settle()
            return accepted
        } catch .unknownRequestID {
            return Self.error(400, "InvalidRequestID", "Invalid request ID")
        } catch {
            return Self.error(413, "RequestEntityTooLarge",
                              "Exceeded maximum allowed payload size (\(LambdaRuntimeAPI.maxPayloadBytes) bytes).")
        }
    }

    // MARK: Control

    private func control(_ request: SandboxRequest, route: [String], nowMs: Int64) async -> SandboxResponse {
        switch (request.method, route) {
        case ("POST", ["invoke"]):
            var timeoutMs = Self.defaultTimeoutMs
            if let raw = request.query("timeout_ms") {
                guard let value = Int(raw), (1...900_000).contains(value) else {
                    return .json(.object(["error": .string("timeout_ms must be a whole number from 1 to 900000")]), status: 400)
                }
                timeoutMs = value
            }
            guard request.body.count <= LambdaRuntimeAPI.maxPayloadBytes else {
                return Self.error(413, "RequestEntityTooLarge", "the event is larger than \(LambdaRuntimeAPI.maxPayloadBytes) bytes")
            }
            return await api.invoke(request.body, timeoutMs: timeoutMs, nowMs: nowMs)
        case ("GET", ["invocations"]):
            return .json(api.summary)
        default:
            return .json(.object(["error": .string("no such control resource: \(request.path)")]), status: 404)
        }
    }

    // MARK: Shapes

    /// The Runtime API's error body: `{"errorMessage":…,"errorType":…}`.
    private static func error(_ status: Int, _ type: String, _ message: String) -> SandboxResponse {
        .json(.object(["errorMessage": .string(message), "errorType": .string(type)]), status: status)
    }

    /// An X-Ray trace header of the documented form (`Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0`).
    private static func traceID(_ deadlineMs: Int64) -> String {
        let random = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let epoch = String(deadlineMs / 1000, radix: 16)
        return "Root=1-\(epoch)-\(random.prefix(24));Parent=\(random.suffix(16));Sampled=0"
    }
}
