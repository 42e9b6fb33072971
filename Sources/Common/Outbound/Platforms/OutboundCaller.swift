import Glibc
public import Core
public import Logging

/// Sends platform requests and writes one audit row per call: action, method, path (never host or query),
/// status and duration. Transport failures become `PlatformError`s. With an `AuditBuffer` (a job's), the rows are
/// kept, stamped with their time, for the job's completion to write in its own statement.
///
/// With a `deadline` (a job's, shorter than its lease), no call starts once less than `minimumCallTime` is left,
/// and each call's timeout is cut to what is left: a job never acts after its lease may have passed to another
/// worker.
public struct OutboundCaller {
    /// Who the calls are made for, as recorded in the audit log.
    public struct Scope: Sendable {
        public var connection: String
        public var eventID: String?
        public var jobID: Int64?

        public init(connection: String, eventID: String? = nil, jobID: Int64? = nil) {
            self.connection = connection
            self.eventID = eventID
            self.jobID = jobID
        }
    }

    let http: HTTPClient
    let audit: AuditStore
    let scope: Scope
    let logger: Logger
    let deadline: ContinuousClock.Instant?
    let buffer: AuditBuffer?

    /// Below this, a call is not started before the deadline.
    public static let minimumCallTime: Duration = .milliseconds(500)

    public init(http: HTTPClient, audit: AuditStore, scope: Scope, logger: Logger, deadline: ContinuousClock.Instant? = nil,
                buffer: AuditBuffer? = nil) {
        self.buffer = buffer
        self.http = http
        self.audit = audit
        self.scope = scope
        self.logger = logger
        self.deadline = deadline
    }

    /// Sends `request`; `failed` tells whether a response counts as an error in the audit row.
    /// `target` replaces the request's path in the audit row when the path itself is a secret (a `response_url`).
    public func send(_ request: HTTPRequest, action: String, detail: String = "", target: String? = nil,
                     failed: (HTTPResponse) -> Bool = { !(200..<300).contains($0.status) }) throws(PlatformError) -> HTTPResponse {
        let target = target ?? request.auditTarget
        var request = request
        if let deadline {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left >= Self.minimumCallTime else {
                record(action: action, outcome: .error, detail: "not sent: the job reached its deadline")
                throw PlatformError(.retry(after: nil), "\(request.method) \(target) not sent: the job reached its deadline "
                                    + "(its lease would expire)", deadlineReached: true)
            }
            request.timeout = min(request.timeout ?? http.configuration.totalTimeout, left)
        }
        do {
            let response = try http.send(request)
            let millis = Int(response.duration.components.seconds * 1000
                             + response.duration.components.attoseconds / 1_000_000_000_000_000)
            record(action: action, outcome: failed(response) ? .error : .ok, detail: detail,
                   call: AuditEntry.Call(method: request.method, target: target, status: response.status, durationMilliseconds: millis))
            return response
        } catch {
            record(action: action, outcome: .error, detail: [detail, error.description].filter { !$0.isEmpty }.joined(separator: "; "),
                   call: AuditEntry.Call(method: request.method, target: target, status: nil, durationMilliseconds: 0))
            throw PlatformError(transport: error, "\(request.method) \(target): \(error.description)")
        }
    }

    /// An audit row in this scope (not only for calls).
    public func record(action: String, outcome: AuditEntry.Outcome = .ok, detail: String = "", call: AuditEntry.Call? = nil) {
        var entry = AuditEntry(action: action, outcome: outcome, connection: scope.connection, eventID: scope.eventID,
                               jobID: scope.jobID, detail: detail, call: call)
        if let buffer {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            entry.atMicroseconds = Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
            buffer.entries.append(entry)
            return
        }
        do {
            try audit.record(entry)
        } catch {
            logger.error("could not write an audit row", metadata: ["action": "\(action)", "error": "\(error)"])
        }
    }
}
