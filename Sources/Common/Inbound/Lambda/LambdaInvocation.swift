/// One event handed out by `GET …/runtime/invocation/next`.
struct LambdaInvocation: Sendable {
    /// `Lambda-Runtime-Aws-Request-Id`: names the invocation in the answer's path.
    let requestID: String
    /// `Lambda-Runtime-Deadline-Ms`: when the invocation times out, in Unix milliseconds; nil when not sent.
    let deadlineMs: Int64?
    /// The event as received (for a function URL, an HTTP API payload 2.0 object).
    let event: [UInt8]
}
