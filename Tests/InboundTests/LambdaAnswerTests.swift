@testable import Core
@testable import Inbound
import Testing

/// What the Lambda runtime loop sends back for one event, without the Runtime API: the handler's result object,
/// an invocation error for what is not an HTTP event, nothing worked on after the deadline.
@Suite("Lambda answers")
struct LambdaAnswerTests {
    static let event = Array(#"{"version":"2.0","rawPath":"/default","requestContext":{"http":{"method":"POST"}},"body":"{}"}"#.utf8)

    static func answer(_ event: [UInt8], deadlineMs: Int64? = nil, nowMs: Int64 = 1_000) -> LambdaRuntimeLoop.Answer {
        LambdaRuntimeLoop.answer(LambdaInvocation(requestID: "r-1", deadlineMs: deadlineMs, event: event), nowMs: nowMs) { request in
            .json(request.method == "POST" ? 202 : 405, ["path": .string(request.path)])
        }
    }

    @Test("a payload 2.0 event gets the handler's response as a result object")
    func response() throws {
        guard case .response(let bytes) = Self.answer(Self.event, deadlineMs: 5_000) else {
            Issue.record("not a response")
            return
        }
        let result = try JSONParser.parse(bytes)
        #expect(result["statusCode"]?.int64Value == 202)
        #expect(result["body"]?.stringValue == #"{"path":"/default"}"#)
        #expect(result["headers"]?["content-type"]?.stringValue == "application/json")
    }

    @Test("what is not an HTTP API payload 2.0 object is an invocation error", arguments: ["[1]", "{}", "nonsense", #"{"requestContext":{}}"#])
    func notAnHTTPEvent(event: String) {
        #expect(Self.answer(Array(event.utf8)) == .failure(.notAnHTTPEvent))
    }

    @Test("an HTTP event that cannot be read is answered over HTTP (400)")
    func unreadableBody() throws {
        let event = Array(#"{"requestContext":{"http":{"method":"POST"}},"isBase64Encoded":true,"body":"***"}"#.utf8)
        guard case .response(let bytes) = Self.answer(event) else {
            Issue.record("not a response")
            return
        }
        #expect(try JSONParser.parse(bytes)["statusCode"]?.int64Value == 400)
    }

    @Test("no work starts once the deadline has passed")
    func deadline() {
        #expect(Self.answer(Self.event, deadlineMs: 1_000, nowMs: 1_000) == .failure(.deadlinePassed))
        #expect(Self.answer(Self.event, deadlineMs: 999, nowMs: 1_000) == .failure(.deadlinePassed))
    }
}
