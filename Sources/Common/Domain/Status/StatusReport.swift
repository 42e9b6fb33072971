public import Core

/// What `ml-connector status` reports (DESIGN.md §6.2): the queue, the approvals, each connection's last event,
/// post and outbound call, the retention periods, and the problems a monitor acts on. Pure: `problems` is decided from the figures alone.
public struct StatusReport: Sendable {
    /// A job due for longer than this means no worker is draining the queue.
    public static let dueLimitSeconds = 300

    public struct ConnectionStatus: Sendable {
        public var name: String
        public var lastEventAt: String?
        public var lastPostAt: String?
        /// The newest outbound call (Entra ID, F&O or Slack), as audited.
        public var lastCall: AuditRecord?

        public init(name: String, lastEventAt: String?, lastPostAt: String?, lastCall: AuditRecord?) {
            self.name = name
            self.lastEventAt = lastEventAt
            self.lastPostAt = lastPostAt
            self.lastCall = lastCall
        }
    }

    public var jobs: JobStore.QueueStatus
    public var approvals: [ApprovalState: Int]
    public var connections: [ConnectionStatus]
    /// How long each kind of history is kept (`ml-connector retention`).
    public var retention: RetentionPolicy

    public init(jobs: JobStore.QueueStatus, approvals: [ApprovalState: Int], connections: [ConnectionStatus],
                retention: RetentionPolicy = RetentionPolicy()) {
        self.jobs = jobs
        self.approvals = approvals
        self.connections = connections
        self.retention = retention
    }

    /// Why a monitor should page someone; empty when healthy.
    public var problems: [String] {
        var problems: [String] = []
        if jobs.expiredLeases > 0 {
            problems.append("\(jobs.expiredLeases) running job(s) past their lease: their worker died (they run again on the next claim)")
        }
        if jobs.dueTooLong > 0 {
            problems.append("\(jobs.dueTooLong) job(s) due for more than \(Self.dueLimitSeconds / 60) minutes "
                            + "(oldest \(jobs.oldestDueSeconds ?? 0) s): is a process-job worker running?")
        }
        for connection in connections {
            guard let call = connection.lastCall, call.entry.outcome == .error else { continue }
            var line = "connection \(connection.name): its last outbound call failed (\(call.entry.action)"
            if let request = call.entry.call { line += " \(request.method) \(request.target) → \(request.status.map(String.init) ?? "no answer")" }
            line += " at \(call.at)"
            if !call.entry.detail.isEmpty { line += ": \(call.entry.detail)" }
            problems.append(line + "); run ml-connector ping \(connection.name)")
        }
        return problems
    }

    public var isHealthy: Bool { problems.isEmpty }
}
