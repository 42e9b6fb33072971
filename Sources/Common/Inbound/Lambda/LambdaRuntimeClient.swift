internal import CDynamicCurl
import Core

/// The client of the Lambda Runtime API (`http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/…`) over libcurl,
/// which it loads when it is created (`CDynamicCurl`): the handlers link no libcurl and load it in this mode only.
/// Owns one easy handle for the life of the process, so every call reuses one kept-alive connection. No call has a
/// time limit once connected: the process may be frozen between invocations, in the middle of `next`.
/// Not Sendable: one loop uses it, one call at a time.
final class LambdaRuntimeClient {
    private let easy: UnsafeMutableRawPointer
    /// `http://<api>/2018-06-01/runtime`.
    private let base: String

    /// Loads libcurl (once per process) and opens a handle for `runtimeAPI` (`host:port`).
    init(runtimeAPI: String) throws(LambdaRuntimeError) {
        if let failure = mlc_dcurl_load() {
            throw LambdaRuntimeError(code: .libcurlUnavailable, description: String(cString: failure))
        }
        guard let easy = mlc_dcurl_easy_new(Self.connectTimeoutMs) else {
            throw LambdaRuntimeError(code: .libcurlUnavailable, description: "curl_easy_init failed")
        }
        self.easy = easy
        base = "http://\(runtimeAPI)/2018-06-01/runtime"
    }

    deinit { mlc_dcurl_easy_free(easy) }

    /// Connecting to the Runtime API, a local endpoint, is immediate or refused.
    private static let connectTimeoutMs = 2000

    /// Waits, as long as it takes, for the next event.
    func next() throws(LambdaRuntimeError) -> LambdaInvocation {
        let answer = try exchange(path: "/invocation/next", post: nil)
        guard answer.status == 200 else { throw unexpected(answer, "invocation/next") }
        guard let requestID = answer.headers["lambda-runtime-aws-request-id"], !requestID.isEmpty else {
            throw LambdaRuntimeError(code: .status(answer.status), description: "invocation/next answered without Lambda-Runtime-Aws-Request-Id")
        }
        return LambdaInvocation(requestID: requestID, deadlineMs: answer.headers["lambda-runtime-deadline-ms"].flatMap { Int64($0) },
                                event: answer.body)
    }

    /// `POST …/invocation/<id>/response` with the function's result.
    func respond(to requestID: String, with result: [UInt8]) throws(LambdaRuntimeError) {
        let answer = try exchange(path: "/invocation/\(Self.pathSegment(requestID))/response",
                                  post: (result, ["Content-Type: application/json"]))
        guard answer.status == 202 else { throw unexpected(answer, "invocation response") }
    }

    /// `POST …/invocation/<id>/error`: the invocation failed as a function call (not an HTTP answer).
    func fail(_ requestID: String, _ report: LambdaErrorReport) throws(LambdaRuntimeError) {
        let answer = try exchange(path: "/invocation/\(Self.pathSegment(requestID))/error", post: (report.body, Self.errorHeaders(report)))
        guard answer.status == 202 else { throw unexpected(answer, "invocation error") }
    }

    /// `POST …/init/error`: the function cannot start; the runtime exits after it.
    func failInit(_ report: LambdaErrorReport) throws(LambdaRuntimeError) {
        let answer = try exchange(path: "/init/error", post: (report.body, Self.errorHeaders(report)))
        guard answer.status == 202 else { throw unexpected(answer, "init error") }
    }

    private static func errorHeaders(_ report: LambdaErrorReport) -> [String] {
        ["Content-Type: application/json", "Lambda-Runtime-Function-Error-Type: \(report.type)"]
    }

    private func unexpected(_ answer: Answer, _ call: String) -> LambdaRuntimeError {
        LambdaRuntimeError(code: .status(answer.status), description: "the Runtime API answered \(call) with HTTP \(answer.status)")
    }

    // MARK: One exchange

    /// An HTTP answer: status, headers with lower-cased names, body.
    private struct Answer {
        var status = 0
        var headers: [String: String] = [:]
        var body: [UInt8] = []
    }

    /// What the receivers fill in while libcurl runs; reached from C through an unretained pointer.
    private final class Reception {
        var answer = Answer()
    }

    /// A GET of `path` (`post` nil) or a POST of `post.body` with `post.headers`. Every request says `Expect:`
    /// (curl would otherwise wait for a `100 Continue` before a large body).
    private func exchange(path: String, post: (body: [UInt8], headers: [String])?) throws(LambdaRuntimeError) -> Answer {
        var list: UnsafeMutableRawPointer?
        defer { if let list { mlc_dcurl_list_free(list) } }
        for line in (post?.headers ?? []) + ["Expect:"] {
            guard let appended = mlc_dcurl_list_append(list, line) else { throw failure("out of memory", path) }
            list = appended
        }
        let reception = Reception()
        var code = mlc_dcurl_set_url(easy, base + path)
        if code == 0 {
            if let post {
                code = post.body.withUnsafeBytes { mlc_dcurl_set_post(easy, $0.baseAddress, $0.count) }
            } else {
                code = mlc_dcurl_set_get(easy)
            }
        }
        if code == 0 { code = mlc_dcurl_set_headers(easy, list) }
        if code == 0 {
            code = mlc_dcurl_set_receivers(easy, Self.receiveBody, Self.receiveHeader, Unmanaged.passUnretained(reception).toOpaque())
        }
        if code == 0 { code = withExtendedLifetime(reception) { mlc_dcurl_perform(easy) } }
        // The list is freed on return: libcurl must not keep pointing at it.
        _ = mlc_dcurl_set_headers(easy, nil)
        guard code == 0 else { throw failure(String(cString: mlc_dcurl_describe(code)), path) }
        reception.answer.status = mlc_dcurl_status(easy)
        return reception.answer
    }

    private func failure(_ reason: String, _ path: String) -> LambdaRuntimeError {
        LambdaRuntimeError(code: .transport, description: "Runtime API \(path): \(reason)")
    }

    private static let receiveBody: mlc_dcurl_receiver = { data, size, count, context in
        let reception = Unmanaged<Reception>.fromOpaque(context!).takeUnretainedValue()
        let total = size * count
        if let data, total > 0 { reception.answer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: total)) }
        return total
    }

    /// One header line at a time, the status line included; a new status line (after a redirect or `1xx`)
    /// starts the headers afresh.
    private static let receiveHeader: mlc_dcurl_receiver = { data, size, count, context in
        let reception = Unmanaged<Reception>.fromOpaque(context!).takeUnretainedValue()
        let total = size * count
        guard let data, total > 0 else { return total }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: total), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            reception.answer.headers = [:]
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            reception.answer.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: " \t\r\n")
        }
        return total
    }

    /// A request id as one path segment (AWS's are UUIDs).
    private static func pathSegment(_ requestID: String) -> String { FormURLEncoding.percentEncode(requestID) }
}
