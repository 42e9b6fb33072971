import Glibc
import Core
import Domain
import Outbound
import Logging

/// The `process-job` loop (DESIGN.md §6.1): claims due jobs one at a time until none is due, waiting out channel
/// pacing, within the bounds given; with `listen`, keeps waiting for work (NOTIFY as a wake-up, polling as the
/// safety net) until a stop is requested (`requestStop`: SIGTERM / SIGINT in process-job, graceful shutdown in
/// ml-connector-server), always finishing the job in hand first.
public struct JobRunner {
    public struct Limits: Sendable {
        public var maxJobs: Int?
        public var maxSeconds: Double?
        public var listen: Bool

        public init(maxJobs: Int? = nil, maxSeconds: Double? = nil, listen: Bool = false) {
            self.maxJobs = maxJobs
            self.maxSeconds = maxSeconds
            self.listen = listen
        }
    }

    private let context: JobContext
    private let store: JobStore
    private let worker: String
    private let leaseSeconds: Int
    private let retryBaseSeconds: Int

    public init(context: JobContext, worker: String, leaseSeconds: Int, retryBaseSeconds: Int) {
        self.context = context
        store = JobStore(context.db)
        self.worker = worker
        self.leaseSeconds = leaseSeconds
        self.retryBaseSeconds = retryBaseSeconds
    }

    /// Runs jobs; returns how many were run.
    @discardableResult
    public func run(_ limits: Limits) throws -> Int {
        let started = ContinuousClock.now
        var done = 0
        var maintained: ContinuousClock.Instant?
        if limits.listen { try store.listen() }
        while !Self.isStopRequested {
            if let max = limits.maxJobs, done >= max { break }
            if let max = limits.maxSeconds, started.duration(to: .now) >= .milliseconds(Int(max * 1000)) { break }
            // The database gates reaping to once per lease (at most a minute) across workers; asking at half that
            // (at most every 10 s) finds a dead worker's job soon after its lease ran out. Retention: once an hour.
            if maintained.map({ $0.duration(to: .now) > .seconds(min(10, max(1, leaseSeconds / 2))) }) ?? true {
                maintained = .now
                for id in try store.maintain(leaseSeconds: leaseSeconds) {
                    context.logger.warning("lease expired; job made available again", metadata: ["job": "\(id)"])
                }
                try RetentionSweep(db: context.db, logger: context.logger).runIfDue()
            }
            let claimStarted = ContinuousClock.now
            if let job = try store.claim(worker: worker, leaseSeconds: leaseSeconds) {
                try run(job, deadline: claimStarted + Self.deadline(leaseSeconds: leaseSeconds))
                done += 1
                continue
            }
            if let wait = try store.pacingWait() {
                usleep(UInt32(wait * 1_000_000))
                continue
            }
            guard limits.listen else { break }
            waitForNotification(seconds: 5)
        }
        return done
    }

    /// How long a job may act after its claim was sent: its lease (which the database starts no earlier) less a
    /// margin for the last call's answer and the completion, so a job never acts once its lease may have passed.
    static func deadline(leaseSeconds: Int) -> Duration {
        .seconds(leaseSeconds) - .seconds(max(2, leaseSeconds / 6))
    }

    private func run(_ job: ClaimedJob, deadline: ContinuousClock.Instant) throws {
        let calls = AuditBuffer()
        context.deadline = deadline
        context.auditBuffer = calls
        defer { context.deadline = nil; context.auditBuffer = nil }
        let outcome = JobDispatcher(context: context).run(job)
        context.auditBuffer = nil
        let state: JobState?
        if let record = outcome.record, record.statement == nil {
            state = try context.db.transaction { db in
                try record.record(in: db)
                return try store.finish(job, outcome, worker: worker, retryBaseSeconds: retryBaseSeconds, audit: calls.take())
            }
        } else {
            state = try store.finish(job, outcome, worker: worker, retryBaseSeconds: retryBaseSeconds, audit: calls.take(),
                                     recording: outcome.record?.statement)
        }
        let audit = AuditStore(context.db)
        let connection = job.connectionID.flatMap { try? context.connection($0).record.name }
        let eventID = job.eventID
        func record(_ action: String, _ outcome: AuditEntry.Outcome, _ detail: String) throws {
            try audit.record(AuditEntry(action: action, outcome: outcome, connection: connection, eventID: eventID, jobID: job.id, detail: detail))
        }
        switch (outcome, state) {
        case (_, nil):
            context.logger.warning("job finished after its lease was lost; result not recorded", metadata: ["job": "\(job.id)"])
        case (.completed, _), (.completedRecording, _):
            context.logger.info("job completed", metadata: ["job": "\(job.id)", "kind": "\(job.kindName)"])
        case (.retry(let error, _), .available):
            try record("job.retry", .error, "attempt \(job.attempt) of \(job.maxAttempts) failed: \(error)")
        case (.snooze(let error, let seconds, _), .available):
            try record("job.snooze", .error, "\(error); trying again in \(seconds) s (attempt not counted)")
        case (.retry(let error, _), _), (.snooze(let error, _, _), _), (.discard(let error), _):
            try record("job.discard", .error, "\(job.kindName) discarded after attempt \(job.attempt): \(error)")
            context.logger.error("job discarded", metadata: ["job": "\(job.id)", "kind": "\(job.kindName)", "error": "\(error)"])
        }
    }

    /// Waits up to `seconds` for a notification or a stop, then reads what arrived.
    private func waitForNotification(seconds: Int) {
        var descriptors = [pollfd(fd: context.db.socket, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: Self.stopDescriptor, events: Int16(POLLIN), revents: 0)]
        _ = poll(&descriptors, 2, Int32(seconds * 1000))
        _ = context.db.drainNotifications()
    }
}
