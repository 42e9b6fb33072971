import Core

/// The body of `…/invocation/<id>/error` and `…/init/error`: `{"errorMessage":…,"errorType":…}`. The message
/// names what is wrong, never a value from the event or the environment.
struct LambdaErrorReport: Sendable, Equatable {
    let message: String
    /// Also sent as the `Lambda-Runtime-Function-Error-Type` header.
    let type: String

    var body: [UInt8] {
        JSONValue.object(["errorMessage": .string(message), "errorType": .string(type)]).serializedBytes()
    }

    /// A configuration error at start (DESIGN.md §5.3): names the variable, type `Configuration`.
    static func configuration(_ error: ConfigurationError) -> LambdaErrorReport {
        LambdaErrorReport(message: error.description, type: "Configuration")
    }

    /// An event that is not an HTTP API payload 2.0 object.
    static let notAnHTTPEvent = LambdaErrorReport(
        message: "the event is not an HTTP API payload 2.0 object with requestContext.http.method", type: "InvalidEvent")

    /// The deadline had passed when the event arrived: it is not worked on.
    static let deadlinePassed = LambdaErrorReport(
        message: "the invocation's deadline had passed before its work started", type: "DeadlineExceeded")
}
