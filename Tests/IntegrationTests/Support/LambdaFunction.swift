import Outbound
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One handler binary running the AWS Lambda runtime loop against a sandbox of its own (one Runtime API per
/// function, as in an execution environment): started with `AWS_LAMBDA_RUNTIME_API=127.0.0.1:<port>`, invoked
/// through the sandbox's `POST /_sandbox/lambda/invoke`, stopped with SIGTERM when released.
final class LambdaFunction {
    let sandbox: SandboxProcess
    let pid: pid_t
    private let directory: URL
    private var exitStatus: Int32?

    /// `environment` is the function's whole environment (plus the Runtime API and, unless given, MLC_LOG_LEVEL=error).
    init(handler: String, environment: [String: String]) throws {
        sandbox = try SandboxProcess()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-lambda-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var env = environment
        env["AWS_LAMBDA_RUNTIME_API"] = String(sandbox.baseURL.dropFirst("http://".count))
        env["MLC_LOG_LEVEL"] = env["MLC_LOG_LEVEL"] ?? "error"
        pid = try Spawn.start(TestEnvironment.binary(handler), arguments: [], environment: env,
                              stdout: directory.appendingPathComponent("out").path, stderr: directory.appendingPathComponent("err").path)
    }

    /// The function's log (stderr) so far.
    var standardError: String { (try? String(contentsOf: directory.appendingPathComponent("err"), encoding: .utf8)) ?? "" }

    /// One invocation with `event` as its payload; the sandbox's answer (the function's result object, or its error
    /// with `X-Amz-Function-Error`, or 504).
    func invoke(_ event: [UInt8], timeoutMs: Int = 20_000) throws -> HTTPResponse {
        try sandbox.send("POST", "/_sandbox/lambda/invoke?timeout_ms=\(timeoutMs)",
                         headers: [("Content-Type", "application/json")], body: String(decoding: event, as: UTF8.self))
    }

    /// `GET /_sandbox/lambda/invocations`: `invocations`, `init_errors`.
    func ledger() throws -> [String: Any] {
        try SandboxProcess.object(sandbox.send("GET", "/_sandbox/lambda/invocations"))
    }

    /// The exit status once the function has ended, or nil at the deadline (it keeps running).
    func waitForExit(seconds: TimeInterval) -> Int32? {
        if exitStatus == nil { exitStatus = Spawn.wait(pid, until: Date().addingTimeInterval(seconds)) }
        return exitStatus
    }

    var isRunning: Bool { waitForExit(seconds: 0) == nil }

    deinit {
        if exitStatus == nil { _ = Spawn.stop(pid) }
        try? FileManager.default.removeItem(at: directory)
    }
}
