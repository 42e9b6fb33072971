import Glibc
import Core
import Logging

/// The AWS Lambda custom runtime (DESIGN.md §5.3 item 1): `next`, handle the HTTP API payload 2.0 event with the
/// same request → response function as every other mode, `response` — for ever, one event at a time, with the
/// database connection and the configuration kept between events. An HTTP-level failure (401, 503…) is a normal
/// response; an event that is not an HTTP event is answered through `…/error`. A Runtime API that cannot be
/// reached after a few tries ends the process (the platform starts a new one).
enum LambdaRuntimeLoop {
    /// What the runtime sends back for one event.
    enum Answer: Equatable {
        /// The `{"statusCode":…,"headers":{…},"body":"…"}` object, for `…/response`.
        case response([UInt8])
        /// For `…/error`.
        case failure(LambdaErrorReport)
    }

    /// Tries of one Runtime API call that got no HTTP answer, and the pause before each retry.
    static let attempts = 4
    private static let retryPauseMicroseconds: UInt32 = 100_000

    static func serve(runtimeAPI: String, logger: Logger, database: any DatabaseSource,
                      handle: (InboundRequest) -> InboundResponse) -> Never {
        let client = openClient(runtimeAPI, logger: logger)
        // Connect during init (its time is not billed to the first event); a database that is down now is
        // connected to by the first event that needs it.
        if let connection = try? database.connection() { database.release(connection) }
        while true {
            let invocation = persistently("invocation/next", logger: logger) { () throws(LambdaRuntimeError) in try client.next() }
            let requestID = invocation.requestID
            switch answer(invocation, nowMs: nowMilliseconds(), handle: handle) {
            case .response(let result):
                postAnswer("invocation response", requestID: requestID, logger: logger) { () throws(LambdaRuntimeError) in
                    try client.respond(to: requestID, with: result)
                }
            case .failure(let report):
                logger.warning("invocation failed", metadata: ["request_id": "\(requestID)", "error_type": "\(report.type)"])
                postAnswer("invocation error", requestID: requestID, logger: logger) { () throws(LambdaRuntimeError) in
                    try client.fail(requestID, report)
                }
            }
        }
    }

    /// A configuration error at start, told to the platform (`init/error`, which names the variable); the caller
    /// exits 78 after it, also when it could not be told (no libcurl, no Runtime API: logged).
    static func reportInitError(_ error: ConfigurationError, runtimeAPI: String, logger: Logger) {
        do {
            try LambdaRuntimeClient(runtimeAPI: runtimeAPI).failInit(.configuration(error))
        } catch {
            logger.error("the init error could not be reported to the Runtime API", metadata: ["error": "\(error.description)"])
        }
    }

    /// The answer to one event: the handler's response, or a failure when the deadline has passed or the event is
    /// not an HTTP API payload 2.0 object. An event that is one but cannot be read (too large, a body that is not
    /// base64) is answered over HTTP, as in the one-function-event mode.
    static func answer(_ invocation: LambdaInvocation, nowMs: Int64, handle: (InboundRequest) -> InboundResponse) -> Answer {
        if let deadline = invocation.deadlineMs, nowMs >= deadline { return .failure(.deadlinePassed) }
        switch RequestIO.parseFunctionEvent(invocation.event, maxBodyBytes: InboundRequest.maxBodyBytes) {
        case .success(let request):
            return .response(RequestIO.encodeFunctionEvent(handle(request)))
        case .failure(let failure):
            if failure.status != 413 && !isHTTPEvent(invocation.event) { return .failure(.notAnHTTPEvent) }
            return .response(RequestIO.encodeFunctionEvent(failure.response))
        }
    }

    private static func isHTTPEvent(_ event: [UInt8]) -> Bool {
        let http = (try? JSONParser.parse(event))?.objectValue?["requestContext"]?.objectValue?["http"]?.objectValue
        return http?["method"]?.stringValue != nil
    }

    private static func openClient(_ runtimeAPI: String, logger: Logger) -> LambdaRuntimeClient {
        do {
            return try LambdaRuntimeClient(runtimeAPI: runtimeAPI)
        } catch {
            logger.error("the Lambda runtime cannot start", metadata: ["error": "\(error.description)"])
            exit(LambdaRuntimeError.exitCode)
        }
    }

    /// Posts an answer. No HTTP answer after every try means the Runtime API is gone (exit); a refusal of this one
    /// answer (an id already answered, a result over the limit) is logged and the loop goes on.
    private static func postAnswer(_ call: String, requestID: String, logger: Logger, _ post: () throws(LambdaRuntimeError) -> Void) {
        do {
            try retrying(call, logger: logger, post)
        } catch where !error.isTransient {
            logger.error("the Runtime API refused the answer", metadata: ["request_id": "\(requestID)", "error": "\(error.description)"])
        } catch {
            unavailable(call, error, logger: logger)
        }
    }

    /// `call`'s result, or the end of the process when it cannot be had.
    private static func persistently<T>(_ call: String, logger: Logger, _ body: () throws(LambdaRuntimeError) -> T) -> T {
        do {
            return try retrying(call, logger: logger, body)
        } catch {
            unavailable(call, error, logger: logger)
        }
    }

    /// `body`, tried again after a pause while it gets no HTTP answer, `attempts` times in all.
    private static func retrying<T>(_ call: String, logger: Logger, _ body: () throws(LambdaRuntimeError) -> T) throws(LambdaRuntimeError) -> T {
        var attempt = 1
        while true {
            do {
                return try body()
            } catch where error.isTransient && attempt < attempts {
                logger.warning("Runtime API call failed, trying again", metadata: ["call": "\(call)", "attempt": "\(attempt)",
                                                                               "error": "\(error.description)"])
                usleep(retryPauseMicroseconds << UInt32(attempt - 1))
                attempt += 1
            }
        }
    }

    private static func unavailable(_ call: String, _ error: LambdaRuntimeError, logger: Logger) -> Never {
        logger.error("the Lambda Runtime API is unavailable, exiting", metadata: ["call": "\(call)", "error": "\(error.description)"])
        exit(LambdaRuntimeError.exitCode)
    }

    private static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
