public import Core

extension JobStore {
    /// An `update_card` job: the approval's card redrawn for its state at the time the job runs. One redraw that is
    /// waiting and never tried is enough (it renders whatever the state is when it runs), so none is added then: a
    /// click's "Recording…" redraw and its outcome's become one `chat.update` when no worker took the first
    /// meanwhile. Callers commit the state change first, so a job still waiting here reads it when it runs (one
    /// already running may not: then a new one is queued); the row lock keeps a claim off it while a caller that
    /// did open a transaction has not committed yet (claims skip locked rows).
    public func enqueueCardUpdate(approvalID: Int64, connectionID: Int64, eventRow: Int64?, eventID: String?) throws {
        var args: JSONObject = ["approval_id": .number(String(approvalID))]
        if let eventID { args["event_id"] = .string(eventID) }
        try enqueueRedraw(.updateCard, connectionID: connectionID, eventRow: eventRow, args: args, matching: ("approval_id", String(approvalID)))
    }

    /// A `publish_home` job: the person's App Home redrawn from their approvals as they are when it runs. Coalesced
    /// like a card's redraw: one waiting, never tried, for the same person on the connection is enough.
    public func enqueueHomePublish(connectionID: Int64, slackUserID: String) throws {
        try enqueueRedraw(.publishHome, connectionID: connectionID, eventRow: nil, args: ["slack_user_id": .string(slackUserID)],
                          matching: ("slack_user_id", slackUserID))
    }

    /// The one coalescing rule of redraw jobs: nothing is added while a job of `kind` whose `args` member has the
    /// same value waits untried (on the connection).
    private func enqueueRedraw(_ kind: JobKind, connectionID: Int64, eventRow: Int64?, args: JSONObject,
                               matching member: (name: String, value: String)) throws {
        let waiting = try db.query("""
            SELECT id FROM job
            WHERE kind = \(kind.rawValue) AND state = 'available' AND attempt = 0 AND connection_id = \(connectionID)
              AND args->>\(member.name) = \(member.value)
            LIMIT 1 FOR UPDATE SKIP LOCKED
            """)
        guard waiting.first == nil else { return }
        try enqueue(kind, connectionID: connectionID, businessEventRowID: eventRow, args: args, dedupeKey: nil)
    }
}
