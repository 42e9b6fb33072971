public import Core

extension JobStore {
    /// An `update_card` job: the approval's card redrawn for its state at the time the job runs. One redraw that is
    /// waiting and never tried is enough (it renders whatever the state is when it runs), so none is added then: a
    /// click's "Recording…" redraw and its outcome's become one `chat.update` when no worker took the first
    /// meanwhile. Callers commit the state change first, so a job still waiting here reads it when it runs (one
    /// already running may not: then a new one is queued); the row lock keeps a claim off it while a caller that
    /// did open a transaction has not committed yet (claims skip locked rows).
    public func enqueueCardUpdate(approvalID: Int64, connectionID: Int64, eventRow: Int64?, eventID: String?) throws {
        let waiting = try db.query("""
            SELECT id FROM job
            WHERE kind = \(JobKind.updateCard.rawValue) AND state = 'available' AND attempt = 0
              AND args->>'approval_id' = \(String(approvalID))
            LIMIT 1 FOR UPDATE SKIP LOCKED
            """)
        guard waiting.first == nil else { return }
        var args: JSONObject = ["approval_id": .number(String(approvalID))]
        if let eventID { args["event_id"] = .string(eventID) }
        try enqueue(.updateCard, connectionID: connectionID, businessEventRowID: eventRow, args: args, dedupeKey: nil)
    }
}
