import Core
import Domain
import Outbound
import Interactions
import Foundation

/// The answer to one request, before it is turned into a Hummingbird response.
struct SandboxResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// A request to send once the world's lock is released, whose outcome completes the answer.
    var delivery: Delivery? = nil
    /// How long to hold the answer back (a `delay_ms` fault), waited for outside the world's lock.
    var delayMs: Int? = nil

    static func json(_ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = []) -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: value.serializedBytes())
    }

    /// A JSON body sent exactly as given (fixtures whose bytes tests compare).
    static func rawJSON(_ text: String, status: Int, headers: [(name: String, value: String)] = []) -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: Array(text.utf8))
    }

    static func text(_ text: String, status: Int = 200) -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(text.utf8))
    }

    /// An XML document (`$metadata`).
    static func xml(_ text: String, headers: [(name: String, value: String)] = []) -> SandboxResponse {
        SandboxResponse(status: 200, headers: [("Content-Type", "application/xml")] + headers, body: Array(text.utf8))
    }

    static func empty(status: Int, headers: [(name: String, value: String)] = []) -> SandboxResponse {
        SandboxResponse(status: status, headers: headers, body: [])
    }

    /// A JSON answer that is final only once `delivery` was POSTed to its URL (see `Delivery.perform`).
    static func delivering(_ delivery: Delivery) -> SandboxResponse {
        var response = json(.object(delivery.answer))
        response.delivery = delivery
        return response
    }
}

/// A request the control API sends on a caller's behalf (a signed Slack interaction to a handler's URL). It is sent
/// outside the world's lock, because the receiver may call back into the sandbox (`views.open` before it answers).
struct Delivery: Sendable {
    let url: String
    let headers: [(name: String, value: String)]
    let body: [UInt8]
    /// The answer without the outcome; `status` and `response_body` (or `error`) are added to it.
    let answer: JSONObject

    /// Sends the request on a thread of its own (the client blocks) and returns the completed answer: 200 with the
    /// receiver's `status` and `response_body`, or 502 with `error` when it could not be reached.
    func perform() async -> SandboxResponse {
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<LoopbackHTTPClient.Response, LoopbackHTTPClient.Failure>, Never>) in
            let thread = Thread {
                continuation.resume(returning: Result { () throws(LoopbackHTTPClient.Failure) in
                    try LoopbackHTTPClient().post(url, headers: headers, body: body)
                })
            }
            thread.start()
        }
        var answer = self.answer
        switch outcome {
        case .success(let response):
            answer["status"] = .number(String(response.status))
            answer["response_body"] = .string(String(decoding: response.body, as: UTF8.self))
            return .json(.object(answer))
        case .failure(let failure):
            answer["error"] = .string("could not deliver to \(url): \(failure.description)")
            return .json(.object(answer), status: 502)
        }
    }
}
