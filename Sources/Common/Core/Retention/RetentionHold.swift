/// What retention keeps whatever its age: the history of every approval that is not final (pending, deciding,
/// completing, unconfirmed, failed) — its business event's jobs (by event row), the audit rows of that event (by
/// connection name and `EventId`) and of those jobs. Read once per round of a sweep (`ApprovalStore.retentionHold()`),
/// bound as array parameters by the stores that purge.
public struct RetentionHold: Sendable, Equatable {
    /// `business_event.id` of every approval not final.
    public var eventRows: [Int64]
    /// Connection name and `EventId` of those events, pairwise (`connections[i]`, `eventIDs[i]`).
    public var connections: [String]
    public var eventIDs: [String]
    /// Jobs of those events.
    public var jobs: [Int64]

    public init(eventRows: [Int64] = [], connections: [String] = [], eventIDs: [String] = [], jobs: [Int64] = []) {
        self.eventRows = eventRows
        self.connections = connections
        self.eventIDs = eventIDs
        self.jobs = jobs
    }
}
