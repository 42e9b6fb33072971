public import Core

/// How a job attempt ended; `JobStore.finish` turns it into the job's next state (job-queue.md §A.7.4).
public enum JobOutcome: Sendable {
    /// Done.
    case completed
    /// Done, with what the job did outside (a posted message's `ts`) recorded in the same transaction that
    /// completes the job — and kept even when the lease turns out lost, because it happened.
    case completedRecording(any JobCompletionRecord)
    /// Try again with backoff (5xx, 408, timeouts), no sooner than `after` seconds when the platform said so.
    case retry(error: String, after: Int?)
    /// Rate limited (429 / `ratelimited`): run again after `seconds` without spending an attempt, and hold back
    /// every job of `rateKey` (the Slack channel or F&O environment, `RateKey`) as long; nil holds back only this job.
    case snooze(error: String, seconds: Int, rateKey: String?)
    /// Permanent failure: keep the job as discarded, visible and replayable.
    case discard(error: String)

    /// What a completed job records with its completion, if anything.
    public var record: (any JobCompletionRecord)? {
        if case .completedRecording(let record) = self { record } else { nil }
    }
}

/// What a job records in the transaction that completes it (see `JobOutcome.completedRecording`).
public protocol JobCompletionRecord: Sendable {
    func record(in db: PostgresConnection) throws
    /// The record as one data-modifying statement, when it is one: it then goes into the statement that finishes the
    /// job (`JobStore.finish(recording:)`), with no transaction of its own. Nil: `record(in:)` in a transaction.
    var statement: SQL? { get }
}

extension JobCompletionRecord {
    public var statement: SQL? { nil }
}
