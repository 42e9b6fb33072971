/// A failure talking to the Lambda Runtime API: libcurl could not be loaded, the API could not be reached (or the
/// exchange broke), or it answered with a status the runtime cannot go on from. The description never holds an
/// event or a response body.
public struct LambdaRuntimeError: Error, CustomStringConvertible, Sendable {
    enum Code: Sendable {
        /// `libcurl.so.4` is missing or unusable: a packaging fault, reported at start.
        case libcurlUnavailable
        /// No HTTP answer: connection refused, reset, or the transfer failed.
        case transport
        /// An HTTP answer the runtime cannot act on.
        case status(Int)
    }

    let code: Code
    public let description: String

    /// Worth another try: the Runtime API may be restarting, or a kept connection was closed under us.
    var isTransient: Bool {
        if case .transport = code { return true }
        return false
    }

    /// The exit status of a runtime that cannot go on (EX_UNAVAILABLE).
    public static let exitCode: Int32 = 69
}
