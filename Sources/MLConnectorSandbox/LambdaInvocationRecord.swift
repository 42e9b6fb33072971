import Core

/// One invocation the Lambda Runtime API stand-in was asked for, from `POST /_sandbox/lambda/invoke` to the
/// function's answer.
struct LambdaInvocationRecord: Sendable {
    enum Stage: String, Sendable {
        /// Waiting for the function's next `GET …/invocation/next`.
        case queued
        /// Handed out by `next`; not answered yet.
        case delivered
        /// `…/response` received.
        case answered
        /// `…/error` received, or the init error failed it.
        case failed
        /// The caller stopped waiting.
        case timedOut = "timed_out"
    }

    let requestID: String
    let event: [UInt8]
    /// Unix milliseconds, sent as `Lambda-Runtime-Deadline-Ms`.
    let deadlineMs: Int64
    var stage = Stage.queued
    /// When `next` handed it out and when the answer arrived: the function's time for it.
    var deliveredAt: ContinuousClock.Instant?
    var answeredAt: ContinuousClock.Instant?
    /// `statusCode` of the response object, when it had one.
    var statusCode: Int?
    /// `errorType` of an error.
    var errorType: String?
    var answerBytes = 0

    /// Milliseconds from `next` handing it out to its answer arriving.
    var handlerMilliseconds: Double? {
        guard let deliveredAt, let answeredAt else { return nil }
        let elapsed = answeredAt - deliveredAt
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    var json: JSONValue {
        var object: JSONObject = [
            "request_id": .string(requestID), "stage": .string(stage.rawValue), "deadline_ms": .number(String(deadlineMs)),
            "answer_bytes": .number(String(answerBytes)),
        ]
        object["status_code"] = statusCode.map { .number(String($0)) } ?? .null
        object["error_type"] = errorType.map { .string($0) } ?? .null
        object["handler_ms"] = handlerMilliseconds.map { .number(String(format3($0))) } ?? .null
        return .object(object)
    }

    private func format3(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
