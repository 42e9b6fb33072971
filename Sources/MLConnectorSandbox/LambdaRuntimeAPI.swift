import Core
import Foundation
import ServiceLifecycle
import Synchronization

/// The state behind the sandbox's Lambda Runtime API stand-in: invocations asked for by the control API, handed to
/// the function by long-polling `next`, answered by `…/response` or `…/error`. One function (one execution
/// environment) per sandbox, as AWS runs one Runtime API per environment. Waiting — a `next` with nothing queued, an
/// invoke for its answer — happens on continuations, never under the lock, and ends when the sandbox shuts down
/// (SIGTERM), so the server's graceful shutdown does not wait for a poll that would never end.
final class LambdaRuntimeAPI: Sendable {
    /// What a waiting `next` gets: an invocation, or nothing when its request was cancelled or superseded.
    typealias Delivery = LambdaInvocationRecord?

    /// AWS's limit on a synchronous invocation's response (and on the event).
    static let maxPayloadBytes = 6 * 1024 * 1024
    /// Records kept for `GET /_sandbox/lambda/invocations`.
    static let keptRecords = 10_000

    private struct Ledger: ~Copyable {
        var records: [String: LambdaInvocationRecord] = [:]
        /// Request ids in the order asked for (oldest first, at most `keptRecords`).
        var order: [String] = []
        var queue: [String] = []
        var pollers: [(token: UInt64, continuation: CheckedContinuation<Delivery, Never>)] = []
        var callers: [String: CheckedContinuation<SandboxResponse, Never>] = [:]
        var timers: [String: Task<Void, Never>] = [:]
        var initErrors: [JSONValue] = []
        var nextToken: UInt64 = 0
    }

    private let ledger = Mutex(Ledger())

    // MARK: The function's side

    /// The next queued invocation, waiting as long as it takes for one. One runtime polls at a time, as in an
    /// execution environment: a new `next` supersedes one still waiting (its process is presumed gone — a killed
    /// runtime's request is not always seen to end), which gets nothing.
    func next() async -> Delivery {
        let token = ledger.withLock { ledger in
            ledger.nextToken += 1
            return ledger.nextToken
        }
        return await withGracefulShutdownHandler {
            await poll(token)
        } onGracefulShutdown: {
            self.releaseAll()
        }
    }

    private func poll(_ token: UInt64) async -> Delivery {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Delivery, Never>) in
                let (ready, superseded): (LambdaInvocationRecord?, [CheckedContinuation<Delivery, Never>]) = ledger.withLock { ledger in
                    let superseded = ledger.pollers.map(\.continuation)
                    ledger.pollers = []
                    guard !ledger.queue.isEmpty else {
                        ledger.pollers.append((token, continuation))
                        return (nil, superseded)
                    }
                    return (Self.deliver(ledger.queue.removeFirst(), in: &ledger), superseded)
                }
                for waiting in superseded { waiting.resume(returning: nil) }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiting = ledger.withLock { ledger in
                ledger.pollers.firstIndex { $0.token == token }.map { ledger.pollers.remove(at: $0).continuation }
            }
            waiting?.resume(returning: nil)
        }
    }

    /// Why an answer is refused.
    enum Refusal: Error {
        case unknownRequestID
        case tooLarge
    }

    /// `…/<id>/response`: completes the caller's invoke with the function's result.
    func respond(_ requestID: String, body: [UInt8]) throws(Refusal) {
        guard body.count <= Self.maxPayloadBytes else { throw .tooLarge }
        let statusCode = (try? JSONParser.parse(body))?.objectValue?["statusCode"]?.intValue
        let answer = SandboxResponse(status: 200, headers: [("Content-Type", "application/json"), ("X-Amz-Request-Id", requestID)],
                                     body: body)
        try settle(requestID, answer: answer) { record in
            record.stage = .answered
            record.statusCode = statusCode
            record.answerBytes = body.count
        }
    }

    /// `…/<id>/error`: completes the caller's invoke as a function error (`X-Amz-Function-Error`, the error as body).
    func fail(_ requestID: String, body: [UInt8], errorType: String?) throws(Refusal) {
        guard body.count <= Self.maxPayloadBytes else { throw .tooLarge }
        let type = errorType ?? (try? JSONParser.parse(body))?.objectValue?["errorType"]?.stringValue ?? "Unhandled"
        try settle(requestID, answer: Self.functionError(body, requestID: requestID)) { record in
            record.stage = .failed
            record.errorType = type
            record.answerBytes = body.count
        }
    }

    /// `…/init/error`: recorded; every invocation not yet answered fails with it (the function could not start).
    func initError(body: [UInt8], errorType: String?, nowMs: Int64) {
        let parsed = (try? JSONParser.parse(body))?.objectValue
        var entry: JSONObject = ["at_ms": .number(String(nowMs))]
        entry["error_type"] = errorType.map { .string($0) } ?? parsed?["errorType"] ?? .null
        entry["error_message"] = parsed?["errorMessage"] ?? .null
        let failed: [(String, CheckedContinuation<SandboxResponse, Never>)] = ledger.withLock { ledger in
            ledger.initErrors.append(.object(entry))
            let open = ledger.callers
            ledger.callers = [:]
            ledger.queue = []
            for (id, _) in open {
                ledger.records[id]?.stage = .failed
                ledger.records[id]?.errorType = entry["error_type"]?.stringValue
                ledger.timers.removeValue(forKey: id)?.cancel()
            }
            return open.map { ($0.key, $0.value) }
        }
        for (id, caller) in failed { caller.resume(returning: Self.functionError(body, requestID: id)) }
    }

    // MARK: The caller's side

    /// Queues `event` (or hands it to a waiting `next`) and waits for the function's answer: 200 with the result
    /// object, 200 with `X-Amz-Function-Error` and the error object, or 504 after `timeoutMs`.
    func invoke(_ event: [UInt8], timeoutMs: Int, nowMs: Int64) async -> SandboxResponse {
        await withGracefulShutdownHandler {
            await queue(event, timeoutMs: timeoutMs, nowMs: nowMs)
        } onGracefulShutdown: {
            self.releaseAll()
        }
    }

    private func queue(_ event: [UInt8], timeoutMs: Int, nowMs: Int64) async -> SandboxResponse {
        let requestID = UUID().uuidString.lowercased()
        return await withCheckedContinuation { (caller: CheckedContinuation<SandboxResponse, Never>) in
            let timer = Task {
                guard (try? await Task.sleep(for: .milliseconds(timeoutMs))) != nil else { return }
                self.expire(requestID)
            }
            let handOut: (CheckedContinuation<Delivery, Never>, LambdaInvocationRecord)? = ledger.withLock { ledger in
                ledger.records[requestID] = LambdaInvocationRecord(requestID: requestID, event: event, deadlineMs: nowMs + Int64(timeoutMs))
                ledger.order.append(requestID)
                if ledger.order.count > Self.keptRecords {
                    let dropped = ledger.order.removeFirst()
                    if ledger.callers[dropped] == nil { ledger.records[dropped] = nil }
                }
                ledger.callers[requestID] = caller
                ledger.timers[requestID] = timer
                guard !ledger.pollers.isEmpty else {
                    ledger.queue.append(requestID)
                    return nil
                }
                let poller = ledger.pollers.removeFirst().continuation
                return (poller, Self.deliver(requestID, in: &ledger))
            }
            if let (poller, record) = handOut { poller.resume(returning: record) }
        }
    }

    /// What was asked and answered, and the init errors.
    var summary: JSONValue {
        ledger.withLock { ledger in
            .object([
                "invocations": .array(ledger.order.compactMap { ledger.records[$0]?.json }),
                "init_errors": .array(ledger.initErrors),
                "queued": .number(String(ledger.queue.count)),
                "waiting_next": .number(String(ledger.pollers.count)),
            ])
        }
    }

    // MARK: Inside

    private static func deliver(_ requestID: String, in ledger: inout Ledger) -> LambdaInvocationRecord {
        ledger.records[requestID]!.stage = .delivered
        ledger.records[requestID]!.deliveredAt = .now
        return ledger.records[requestID]!
    }

    /// Ends a delivered invocation with `answer` for its caller; an id never handed out or already answered is refused.
    private func settle(_ requestID: String, answer: SandboxResponse, _ update: (inout LambdaInvocationRecord) -> Void) throws(Refusal) {
        let arrived = ContinuousClock.now
        let caller: CheckedContinuation<SandboxResponse, Never>? = try ledger.withLock { ledger throws(Refusal) in
            guard ledger.records[requestID]?.stage == .delivered else { throw .unknownRequestID }
            ledger.records[requestID]!.answeredAt = arrived
            update(&ledger.records[requestID]!)
            ledger.timers.removeValue(forKey: requestID)?.cancel()
            return ledger.callers.removeValue(forKey: requestID)
        }
        caller?.resume(returning: answer)
    }

    /// The sandbox is shutting down (it accepts no new connection): every waiting `next` gets nothing, every waiting
    /// invoke a 503.
    private func releaseAll() {
        let (pollers, callers): ([CheckedContinuation<Delivery, Never>], [CheckedContinuation<SandboxResponse, Never>]) =
            ledger.withLock { ledger in
                let released = (ledger.pollers.map(\.continuation), Array(ledger.callers.values))
                ledger.pollers = []
                ledger.callers = [:]
                ledger.queue = []
                for timer in ledger.timers.values { timer.cancel() }
                ledger.timers = [:]
                return released
            }
        for poller in pollers { poller.resume(returning: nil) }
        for caller in callers { caller.resume(returning: .json(.object(["error": .string("the sandbox is shutting down")]), status: 503)) }
    }

    private func expire(_ requestID: String) {
        let caller: CheckedContinuation<SandboxResponse, Never>? = ledger.withLock { ledger in
            guard let caller = ledger.callers.removeValue(forKey: requestID) else { return nil }
            ledger.timers[requestID] = nil
            ledger.queue.removeAll { $0 == requestID }
            ledger.records[requestID]?.stage = .timedOut
            return caller
        }
        caller?.resume(returning: .json(.object(["error": .string("the function did not answer in time"),
                                                  "request_id": .string(requestID)]), status: 504))
    }

    private static func functionError(_ body: [UInt8], requestID: String) -> SandboxResponse {
        SandboxResponse(status: 200, headers: [("Content-Type", "application/json"), ("X-Amz-Function-Error", "Unhandled"),
                                               ("X-Amz-Request-Id", requestID)], body: body)
    }
}
