import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation
import Testing

/// The sandbox's Lambda Runtime API stand-in, spoken to directly as a runtime would (AWS's runtime API
/// 2018-06-01): long-polled `next` with its headers, `202` on response and error, `400` for an unknown or
/// answered request id, `413` over 6 MiB, `init/error` recorded, and the control API's invoke and ledger.
@Suite("Lambda Runtime API stand-in", .needsDatabase)
struct LambdaRuntimeAPITests {
    let sandbox: SandboxProcess

    init() throws {
        sandbox = try SandboxProcess()
    }

    /// An invoke running on a thread of its own (it waits for the answer); `result()` waits for it.
    final class PendingInvoke: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var outcome: Result<HTTPResponse, any Error>?

        init(_ sandbox: SandboxProcess, event: String, timeoutMs: Int = 10_000) {
            let url = sandbox.baseURL + "/_sandbox/lambda/invoke?timeout_ms=\(timeoutMs)"
            let thread = Thread { [self] in
                outcome = Result {
                    try HTTPClient().send(HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")],
                                                      body: Array(event.utf8)))
                }
                done.signal()
            }
            thread.start()
        }

        func result() throws -> HTTPResponse {
            done.wait()
            return try outcome!.get()
        }
    }

    func next() throws -> HTTPResponse {
        try sandbox.send("GET", "/2018-06-01/runtime/invocation/next")
    }

    func errorType(_ response: HTTPResponse) throws -> String? {
        try SandboxProcess.object(response)["errorType"] as? String
    }

    @Test("next hands out an invoked event with AWS's headers; response is 202 and the invoke returns it")
    func invokeNextRespond() throws {
        let invoke = PendingInvoke(sandbox, event: #"{"version":"2.0","rawPath":"/x"}"#)
        let event = try next()
        #expect(event.status == 200)
        #expect(String(decoding: event.body, as: UTF8.self) == #"{"version":"2.0","rawPath":"/x"}"#)
        let id = try #require(event.header("Lambda-Runtime-Aws-Request-Id"))
        let deadline = try #require(event.header("Lambda-Runtime-Deadline-Ms").flatMap { Int64($0) })
        #expect(deadline > Int64(Date().timeIntervalSince1970 * 1000))
        #expect(event.header("Lambda-Runtime-Invoked-Function-Arn")?.hasPrefix("arn:aws:lambda:") == true)
        #expect(event.header("Lambda-Runtime-Trace-Id")?.hasPrefix("Root=1-") == true)

        let result = #"{"statusCode":202,"headers":{},"body":"ok"}"#
        let posted = try sandbox.sendJSON("POST", "/2018-06-01/runtime/invocation/\(id)/response", result)
        #expect(posted.status == 202)
        #expect(try SandboxProcess.object(posted)["status"] as? String == "OK")
        let answer = try invoke.result()
        #expect(answer.status == 200)
        #expect(answer.header("X-Amz-Function-Error") == nil)
        #expect(String(decoding: answer.body, as: UTF8.self) == result)

        let again = try sandbox.sendJSON("POST", "/2018-06-01/runtime/invocation/\(id)/response", result)
        #expect(again.status == 400)
        #expect(try errorType(again) == "InvalidRequestID")
        let unknown = try sandbox.sendJSON("POST", "/2018-06-01/runtime/invocation/no-such-id/error", #"{"errorType":"x"}"#)
        #expect(unknown.status == 400)
        #expect(try errorType(unknown) == "InvalidRequestID")

        let ledger = try SandboxProcess.object(sandbox.send("GET", "/_sandbox/lambda/invocations"))
        let recorded = try #require((ledger["invocations"] as? [[String: Any]])?.first)
        #expect(recorded["request_id"] as? String == id)
        #expect(recorded["stage"] as? String == "answered")
        #expect(recorded["status_code"] as? Int == 202)
        #expect(recorded["handler_ms"] is NSNumber)
    }

    @Test("next long-polls until an invocation is queued")
    func longPoll() throws {
        let started = Date()
        let waiting = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var polled: HTTPResponse?
        let url = sandbox.baseURL + "/2018-06-01/runtime/invocation/next"
        let thread = Thread {
            polled = try? HTTPClient().send(HTTPRequest(url: url))
            waiting.signal()
        }
        thread.start()
        usleep(500_000)
        #expect(waiting.wait(timeout: .now()) == .timedOut, "next returned with nothing queued")
        let invoke = PendingInvoke(sandbox, event: "{}")
        #expect(waiting.wait(timeout: .now() + 10) == .success)
        let event = try #require(polled)
        #expect(event.status == 200)
        #expect(Date().timeIntervalSince(started) >= 0.5)
        let id = try #require(event.header("Lambda-Runtime-Aws-Request-Id"))
        #expect(try sandbox.sendJSON("POST", "/2018-06-01/runtime/invocation/\(id)/response", #"{"statusCode":200}"#).status == 202)
        #expect(try invoke.result().status == 200)
    }

    @Test("an invocation error is 202; the invoke gets it with X-Amz-Function-Error")
    func invocationError() throws {
        let invoke = PendingInvoke(sandbox, event: "[1]")
        let id = try #require(try next().header("Lambda-Runtime-Aws-Request-Id"))
        let report = #"{"errorMessage":"not an HTTP event","errorType":"InvalidEvent"}"#
        let posted = try sandbox.sendJSON("POST", "/2018-06-01/runtime/invocation/\(id)/error", report,
                                          headers: [("Lambda-Runtime-Function-Error-Type", "InvalidEvent")])
        #expect(posted.status == 202)
        let answer = try invoke.result()
        #expect(answer.header("X-Amz-Function-Error") == "Unhandled")
        #expect(String(decoding: answer.body, as: UTF8.self) == report)
        let recorded = (try SandboxProcess.object(sandbox.send("GET", "/_sandbox/lambda/invocations"))["invocations"] as? [[String: Any]])?.first
        #expect(recorded?["stage"] as? String == "failed")
        #expect(recorded?["error_type"] as? String == "InvalidEvent")
    }

    @Test("a response over 6 MiB is 413 and the invocation stays open for an error")
    func responseTooLarge() throws {
        let invoke = PendingInvoke(sandbox, event: "{}")
        let id = try #require(try next().header("Lambda-Runtime-Aws-Request-Id"))
        let huge = "\"" + String(repeating: "x", count: 6 * 1024 * 1024) + "\""
        let refused = try sandbox.sendJSON("POST", "/2018-06-01/runtime/invocation/\(id)/response", huge)
        #expect(refused.status == 413)
        #expect(try errorType(refused) == "RequestEntityTooLarge")
        #expect(try sandbox.sendJSON("POST", "/2018-06-01/runtime/invocation/\(id)/error",
                                     #"{"errorMessage":"too large","errorType":"ResponseTooLarge"}"#).status == 202)
        #expect(try invoke.result().header("X-Amz-Function-Error") == "Unhandled")
    }

    @Test("init/error is 202, recorded, and fails the invocation waiting for it")
    func initError() throws {
        let invoke = PendingInvoke(sandbox, event: "{}")
        usleep(200_000)
        let report = #"{"errorMessage":"configuration error: MLC_DATABASE_URL is required but not set","errorType":"Configuration"}"#
        let posted = try sandbox.sendJSON("POST", "/2018-06-01/runtime/init/error", report,
                                          headers: [("Lambda-Runtime-Function-Error-Type", "Configuration")])
        #expect(posted.status == 202)
        let answer = try invoke.result()
        #expect(answer.header("X-Amz-Function-Error") == "Unhandled")
        let errors = try SandboxProcess.object(sandbox.send("GET", "/_sandbox/lambda/invocations"))["init_errors"] as? [[String: Any]]
        #expect(errors?.first?["error_type"] as? String == "Configuration")
        #expect((errors?.first?["error_message"] as? String)?.contains("MLC_DATABASE_URL") == true)
    }

    @Test("an invoke nobody answers is 504 after its timeout; unknown resources are 404, wrong methods 405")
    func timeoutsAndShapes() throws {
        let invoke = PendingInvoke(sandbox, event: "{}", timeoutMs: 300)
        #expect(try invoke.result().status == 504)
        #expect(try sandbox.send("GET", "/2018-06-01/runtime/invocation/x/nothing").status == 404)
        #expect(try sandbox.send("POST", "/2018-06-01/runtime/invocation/next").status == 405)
        #expect(try sandbox.send("POST", "/_sandbox/lambda/invoke?timeout_ms=0", body: "{}").status == 400)
    }
}
