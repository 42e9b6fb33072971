public import Core
import Domain
public import Logging

/// Retention applied (DESIGN.md §7; `RetentionPolicy`): rows past their kind's period deleted by the worker's
/// maintenance, at most once an hour across all workers (the `retention` maintenance clock), in batches of at most
/// `batchSize` rows, each batch one short statement (its own transaction), so no lock is held for long. Every table
/// gets a batch in turn, round after round, until nothing is left or `budget` is spent; a sweep that left rows over
/// makes itself due again a minute later. The history of an approval that is not final stays whatever its age
/// (`RetentionHold`, read again every round). Each sweep that deleted anything is logged with its counts and audited
/// once (`retention.purge`).
public struct RetentionSweep {
    /// The `maintenance_clock` row that lets one worker sweep per period.
    public static let clock = "retention"
    public static let periodSeconds = 3600
    /// When a sweep stopped at its budget with rows left: the next one, this soon.
    public static let catchUpSeconds = 60

    /// One table's purge; the tables an event depends on come before the events.
    public enum Step: String, CaseIterable, Sendable {
        case completedJobs = "completed_jobs"
        case discardedJobs = "discarded_jobs"
        case postedMessages = "posted_messages"
        case closedApprovals = "closed_approvals"
        case businessEvents = "business_events"
        case audit = "audit_rows"
        case interactionReceipts = "interaction_receipts"
        case slackUsers = "slack_users"
        case refusalCounts = "refusal_counts"

        public var kind: RetentionPolicy.Kind {
            switch self {
            case .completedJobs: .completedJobs
            case .discardedJobs: .discardedJobs
            case .postedMessages, .closedApprovals, .businessEvents: .businessEvents
            case .audit: .audit
            case .interactionReceipts: .interactionReceipts
            case .slackUsers: .slackUsers
            case .refusalCounts: .refusalCounts
            }
        }
    }

    /// What one sweep deleted.
    public struct Report: Sendable, Equatable {
        public var deleted: [Step: Int] = [:]
        /// False when the budget ran out with rows left (or a step failed).
        public var finished = true

        public var total: Int { deleted.values.reduce(0, +) }
    }

    private let db: PostgresConnection
    private let logger: Logger
    private let batchSize: Int
    private let budget: Duration

    public init(db: PostgresConnection, logger: Logger, batchSize: Int = 1000, budget: Duration = .seconds(5)) {
        self.db = db
        self.logger = logger
        self.batchSize = batchSize
        self.budget = budget
    }

    /// Sweeps when this worker wins the period's clock; nil when another worker has swept this period.
    @discardableResult
    public func runIfDue() throws(PostgresError) -> Report? {
        let jobs = JobStore(db)
        guard try jobs.claimMaintenance(Self.clock, everySeconds: Self.periodSeconds) else { return nil }
        let report = try run()
        if !report.finished {
            try jobs.maintenanceDue(Self.clock, inSeconds: Self.catchUpSeconds, everySeconds: Self.periodSeconds)
        }
        return report
    }

    /// Sweeps now. A step that fails is logged and left for the next sweep; the others go on.
    public func run() throws(PostgresError) -> Report {
        let policy = try RetentionStore(db).policy()
        let started = ContinuousClock.now
        var report = Report()
        var pending = Step.allCases
        while !pending.isEmpty, started.duration(to: .now) < budget {
            let hold = try ApprovalStore(db).retentionHold()
            var more: [Step] = []
            for step in pending {
                guard started.duration(to: .now) < budget else {
                    more.append(step)
                    continue
                }
                do {
                    let deleted = try purge(step, days: policy.days(step.kind), hold: hold)
                    report.deleted[step, default: 0] += deleted
                    if deleted >= batchSize { more.append(step) }
                } catch {
                    report.finished = false
                    logger.error("retention step failed", metadata: ["step": "\(step.rawValue)", "error": "\(error)"])
                }
            }
            pending = more
        }
        if !pending.isEmpty { report.finished = false }
        try record(report, policy: policy)
        return report
    }

    /// Rows each kind's rules would delete now (`ml-connector retention`).
    public static func backlog(_ db: PostgresConnection) throws(PostgresError) -> [RetentionPolicy.Kind: Int64] {
        let policy = try RetentionStore(db).policy()
        let hold = try ApprovalStore(db).retentionHold()
        var counts: [RetentionPolicy.Kind: Int64] = [:]
        for step in Step.allCases {
            counts[step.kind, default: 0] += try count(step, days: policy.days(step.kind), hold: hold, in: db)
        }
        return counts
    }

    private func purge(_ step: Step, days: Int, hold: RetentionHold) throws -> Int {
        let limit = batchSize
        switch step {
        case .completedJobs: return try JobStore(db).purge([.completed], olderThanDays: days, limit: limit, keeping: hold)
        case .discardedJobs: return try JobStore(db).purge([.discarded, .cancelled], olderThanDays: days, limit: limit, keeping: hold)
        case .postedMessages: return try SlackMessageStore(db).purge(olderThanDays: days, limit: limit, keeping: hold)
        case .closedApprovals: return try ApprovalStore(db).purge(olderThanDays: days, limit: limit)
        case .businessEvents: return try BusinessEventStore(db).purge(olderThanDays: days, limit: limit)
        case .audit: return try AuditStore(db).purge(olderThanDays: days, limit: limit, keeping: hold)
        case .interactionReceipts: return try InteractionReceiptStore(db).purge(olderThanDays: days, limit: limit)
        case .slackUsers: return try SlackUserStore.purge(db, expiredDaysAgo: days, limit: limit)
        case .refusalCounts: return try RefusalStore(db).purge(olderThanDays: days, limit: limit)
        }
    }

    private static func count(_ step: Step, days: Int, hold: RetentionHold, in db: PostgresConnection) throws(PostgresError) -> Int64 {
        switch step {
        case .completedJobs: try JobStore(db).countPurgeable([.completed], olderThanDays: days, keeping: hold)
        case .discardedJobs: try JobStore(db).countPurgeable([.discarded, .cancelled], olderThanDays: days, keeping: hold)
        case .postedMessages: try SlackMessageStore(db).countPurgeable(olderThanDays: days, keeping: hold)
        case .closedApprovals: try ApprovalStore(db).countPurgeable(olderThanDays: days)
        case .businessEvents: try BusinessEventStore(db).countPurgeable(olderThanDays: days)
        case .audit: try AuditStore(db).countPurgeable(olderThanDays: days, keeping: hold)
        case .interactionReceipts: try InteractionReceiptStore(db).countPurgeable(olderThanDays: days)
        case .slackUsers: try SlackUserStore.countPurgeable(db, expiredDaysAgo: days)
        case .refusalCounts: try RefusalStore(db).countPurgeable(olderThanDays: days)
        }
    }

    /// One log line and one audit row for a sweep that deleted something: counts and periods, nothing else.
    private func record(_ report: Report, policy: RetentionPolicy) throws(PostgresError) {
        guard report.total > 0 else {
            logger.debug("retention: nothing past its period")
            return
        }
        let counts = Step.allCases.compactMap { step in
            report.deleted[step].flatMap { count in
                count > 0 ? "\(step.rawValue.replacing("_", with: " ")) \(count) (\(step.kind.rawValue) \(RetentionPolicy.format(days: policy.days(step.kind))))" : nil
            }
        }
        let detail = "deleted past retention: " + counts.joined(separator: ", ") + (report.finished ? "" : "; more left for the next sweep")
        var metadata: Logger.Metadata = ["finished": "\(report.finished)"]
        for (step, count) in report.deleted where count > 0 { metadata[step.rawValue] = "\(count)" }
        logger.info("retention sweep", metadata: metadata)
        try AuditStore(db).record(AuditEntry(action: "retention.purge", detail: detail))
    }
}
