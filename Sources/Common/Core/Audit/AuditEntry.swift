/// One row of the append-only audit log. `detail` must never carry a secret, a token, a body or a host.
public struct AuditEntry: Sendable {
    public enum Outcome: String, Sendable { case ok, error }

    /// An outbound call: method, path without host or query, status (nil when no response), duration.
    public struct Call: Sendable {
        public let method: String
        public let target: String
        public let status: Int?
        public let durationMilliseconds: Int

        public init(method: String, target: String, status: Int?, durationMilliseconds: Int) {
            self.method = method
            self.target = target
            self.status = status
            self.durationMilliseconds = durationMilliseconds
        }
    }

    public var connection: String?
    public var eventID: String?
    public var jobID: Int64?
    public var action: String
    public var outcome: Outcome
    public var detail: String
    public var call: Call?
    /// When it happened, in microseconds since 1970, for a row written later than it happened (a job's outbound
    /// calls travel with the job's completion); nil: when it is written.
    public var atMicroseconds: Int64?

    public init(action: String, outcome: Outcome = .ok, connection: String? = nil, eventID: String? = nil,
                jobID: Int64? = nil, detail: String = "", call: Call? = nil, atMicroseconds: Int64? = nil) {
        self.atMicroseconds = atMicroseconds
        self.action = action
        self.outcome = outcome
        self.connection = connection
        self.eventID = eventID
        self.jobID = jobID
        self.detail = detail
        self.call = call
    }
}
