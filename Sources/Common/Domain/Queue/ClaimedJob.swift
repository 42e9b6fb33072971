public import Core

/// A job this worker holds under a lease.
public struct ClaimedJob: Sendable {
    public let id: Int64
    /// Nil for a kind this version does not know (the job is discarded); `kindName` is what is stored.
    public let kind: JobKind?
    public let kindName: String
    public let connectionID: Int64?
    public let businessEventRowID: Int64?
    public let args: JSONObject
    /// The attempt now running (1-based).
    public let attempt: Int
    public let maxAttempts: Int
    /// For the jobs about one stored business event (`JobKind.readingEvent`), its payload as stored, read by the claim
    /// itself (nil when the row is gone): one round trip fewer per job.
    public var eventPayload: String? = nil
    /// For a `deliver_event` job, its connection's routes in evaluation order, read by the claim too.
    public var routes: [Route]? = nil
    /// The business event's `EventId` the job concerns, when its arguments name one (for the audit trail).
    public var eventID: String? { args["event_id"]?.stringValue }
}
