import FoundationEssentials
public import Core

/// Every statement on the `approval` table: one row per work item and assignee (F&O's `UserId`) on a connection,
/// referenced from the card's buttons by an opaque random value. State changes are compare-and-sets from the states `ApprovalState` allows,
/// so two workers or two clicks can never both move one approval.
public struct ApprovalStore {
    let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    private static let columns = """
        id, reference, connection_id, business_event_id, work_item_id, assignee, note, approver_email, approver_slack_id, channel_id,
        message_ts, state, decision, reason, decided_by, delegate_slack_id, delegate_user, summary, card::text AS card_text, escalation_level, subject,
        amount::text AS amount_text, currency, (extract(epoch FROM due_at) * 1000000)::bigint AS due_us, permalink,
        (SELECT e.event_id FROM business_event e WHERE e.id = approval.business_event_id) AS event_id,
        to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') AS decided_text
        """

    /// The approval for this work item and assignee, created pending when it does not exist yet (with `about`,
    /// what the App Home lists; an existing approval keeps its own).
    public func open(connectionID: Int64, eventRow: Int64, workItemID: String, assignee: String, legalEntity: String,
                     approverEmail: String?, approverSlackID: String?, escalationLevel: Int? = nil,
                     about: ApprovalDescription = ApprovalDescription()) throws -> ApprovalRecord {
        let reference = Digest.hex(try SecureRandom.bytes(16))
        // Two deliveries racing on one new work item: the loser's INSERT finds the winner's row only once the
        // winner commits, which the next attempt sees.
        for _ in 0..<3 {
            if let row = try db.query("""
                WITH created AS (
                    INSERT INTO approval (reference, connection_id, business_event_id, work_item_id, assignee, legal_entity,
                                          approver_email, approver_slack_id, escalation_level, subject, amount, currency, due_at)
                    VALUES (\(reference), \(connectionID), \(eventRow), lower(\(workItemID)), lower(\(assignee)), \(legalEntity),
                            \(approverEmail), \(approverSlackID), \(escalationLevel), \(about.subject), \(about.amount)::numeric,
                            \(about.currency), timestamptz 'epoch' + \(about.due?.microseconds)::bigint * interval '1 microsecond')
                    ON CONFLICT (connection_id, work_item_id, assignee) DO NOTHING
                    RETURNING id)
                SELECT id FROM created
                UNION ALL
                SELECT id FROM approval
                WHERE connection_id = \(connectionID) AND work_item_id = lower(\(workItemID)) AND assignee = lower(\(assignee))
                LIMIT 1
                """).first, let record = try record(id: try row.int64("id")) {
                return record
            }
        }
        throw PostgresError(kind: .statement, sqlState: "40001", serverMessage: "approval row for the work item not visible yet")
    }

    /// Every approval of a work item that is not settled for good (any assignee), oldest first.
    public func unsettled(connectionID: Int64, workItemID: String) throws(PostgresError) -> [ApprovalRecord] {
        let final = ApprovalState.allCases.filter(\.isFinal).map(\.rawValue)
        return try db.query("""
            SELECT \(raw: Self.columns) FROM approval
            WHERE connection_id = \(connectionID) AND work_item_id = lower(\(workItemID)) AND NOT state = ANY(\(final)::text[])
            ORDER BY id
            """).rows.map(Self.record)
    }

    /// The approvals still open for `slackUserID` on a connection (`ApprovalState.isOutstanding`: pending, or a
    /// decision on its way to F&O), newest first, at most `limit`; and how many there are in all.
    public func outstanding(connectionID: Int64, slackUserID: String, limit: Int) throws(PostgresError)
        -> (approvals: [ApprovalRecord], total: Int) {
        let states = ApprovalState.allCases.filter(\.isOutstanding).map(\.rawValue)
        let rows = try db.query("""
            SELECT \(raw: Self.columns), count(*) OVER () AS total FROM approval
            WHERE connection_id = \(connectionID) AND approver_slack_id = \(slackUserID) AND state = ANY(\(states)::text[])
            ORDER BY id DESC
            LIMIT \(limit)
            """).rows
        return (try rows.map(Self.record), try rows.first?.int("total") ?? 0)
    }

    /// Keeps the card's permalink, which Slack never changes.
    public func recordPermalink(approvalID: Int64, permalink: String) throws(PostgresError) {
        try db.query("UPDATE approval SET permalink = \(permalink) WHERE id = \(approvalID)")
    }

    public func record(id: Int64) throws(PostgresError) -> ApprovalRecord? {
        try db.query("SELECT \(raw: Self.columns) FROM approval WHERE id = \(id)").first.map(Self.record)
    }

    public func record(reference: String, connectionID: Int64) throws(PostgresError) -> ApprovalRecord? {
        try db.query("SELECT \(raw: Self.columns) FROM approval WHERE reference = \(reference) AND connection_id = \(connectionID)")
            .first.map(Self.record)
    }

    /// `pending → deciding` for the assigned approver, atomically: only the first valid decision wins. A delegation
    /// names the Slack user chosen (`delegateSlackID`); the note of an earlier attempt is cleared. Returns the
    /// decision's time in microseconds (which tells this decision from one made after the card opened again), or nil
    /// when the approval was not open for `user`.
    public func beginDecision(approvalID: Int64, user: String, decision: ApprovalDecision, reason: String?,
                              delegateSlackID: String? = nil) throws(PostgresError) -> Int64? {
        let transition = ApprovalTransition.decide(decision)
        return try db.query("""
            UPDATE approval SET state = \(Self.target(of: transition)), decision = \(decision.rawValue), reason = \(reason),
                                decided_by = \(user), decided_at = now(), delegate_slack_id = \(delegateSlackID), delegate_user = NULL,
                                note = NULL, updated_at = now()
            WHERE id = \(approvalID) AND state = ANY(\(Self.sources(of: transition))::text[]) AND approver_slack_id = \(user)
            RETURNING (extract(epoch FROM decided_at) * 1000000)::bigint AS decided_us
            """).first?.int64("decided_us")
    }

    /// Moves the approval on when its state still allows `transition` (a compare-and-set), keeping `note` (F&O's
    /// words) when given; the approval as it now is, or nil when the transition did not apply.
    @discardableResult
    public func apply(_ transition: ApprovalTransition, approvalID: Int64, note: String? = nil) throws(PostgresError) -> ApprovalRecord? {
        try db.query("""
            UPDATE approval SET state = \(Self.target(of: transition)), note = coalesce(\(note), note), updated_at = now()
            WHERE id = \(approvalID) AND state = ANY(\(Self.sources(of: transition))::text[])
            RETURNING \(raw: Self.columns)
            """).first.map(Self.record)
    }

    /// Keeps the F&O `UserID` a delegation's Slack user was resolved to, before `complete` names them; the
    /// approval as it now is, or nil when it is no longer a delegation waiting to be sent.
    public func resolveDelegate(approvalID: Int64, user: String) throws(PostgresError) -> ApprovalRecord? {
        try db.query("""
            UPDATE approval SET delegate_user = lower(\(user)), updated_at = now()
            WHERE id = \(approvalID) AND decision = 'delegate' AND state = ANY(\(Self.sources(of: .send))::text[])
            RETURNING \(raw: Self.columns)
            """).first.map(Self.record)
    }

    /// `deciding → pending` with why (`note`, shown above the buttons): a decision that could not be sent as asked,
    /// nothing sent. The decision is forgotten, so the approver may decide again.
    public func reopen(approvalID: Int64, note: String) throws(PostgresError) -> ApprovalRecord? {
        try db.query("""
            UPDATE approval SET state = \(Self.target(of: .reopen)), note = \(note), decision = NULL, reason = NULL, decided_by = NULL,
                                decided_at = NULL, delegate_slack_id = NULL, delegate_user = NULL, updated_at = now()
            WHERE id = \(approvalID) AND state = ANY(\(Self.sources(of: .reopen))::text[])
            RETURNING \(raw: Self.columns)
            """).first.map(Self.record)
    }

    /// Where the card was posted and the card itself (with its buttons), once: later states are drawn over it.
    /// Returns the approval's state then — a card posted after its work item closed must be updated at once — or
    /// nil when a post was already recorded.
    public func recordPost(approvalID: Int64, channel: String, ts: String, card: JSONValue, summary: String) throws(PostgresError)
        -> ApprovalState? {
        guard let row = try db.query("""
            UPDATE approval SET channel_id = \(channel), message_ts = \(ts), card = \(card)::jsonb, summary = \(summary),
                                updated_at = now()
            WHERE id = \(approvalID) AND message_ts IS NULL
            RETURNING state
            """).first else { return nil }
        return ApprovalState(rawValue: try row.string("state"))
    }

    /// The one target of a transition whose target does not depend on the state it starts from.
    // MARK: Retention (RetentionPolicy.Kind.businessEvents)

    /// The history no retention rule may delete: that of every approval not final (`ApprovalState.isFinal`) —
    /// pending, deciding, completing, unconfirmed, and failed (a replay may still send it).
    public func retentionHold() throws(PostgresError) -> RetentionHold {
        let events = try db.query("""
            SELECT DISTINCT a.business_event_id AS event_row, c.name AS connection, e.event_id
            FROM approval a JOIN business_event e ON e.id = a.business_event_id JOIN connection c ON c.id = e.connection_id
            WHERE a.state = ANY(\(Self.notFinal)::text[])
            """).rows
        var hold = RetentionHold()
        for row in events {
            hold.eventRows.append(try row.int64("event_row"))
            hold.connections.append(try row.string("connection"))
            hold.eventIDs.append(try row.string("event_id"))
        }
        hold.jobs = try db.query("SELECT id FROM job WHERE business_event_id = ANY(\(hold.eventRows)::bigint[])").rows
            .map { row throws(PostgresError) in try row.int64("id") }
        return hold
    }

    /// Deletes up to `limit` final approvals whose last change is older than `days`, in one statement; returns how many
    /// went. An approval that is not final is never deleted, whatever its age.
    public func purge(olderThanDays days: Int, limit: Int) throws(PostgresError) -> Int {
        try db.deleteBatch(from: "approval", key: "id", candidates: Self.purgeable(days), limit: limit)
    }

    /// Approvals `purge` would delete now.
    public func countPurgeable(olderThanDays days: Int) throws(PostgresError) -> Int64 {
        try db.count(of: Self.purgeable(days))
    }

    private static func purgeable(_ days: Int) -> SQL {
        """
        SELECT id FROM approval
        WHERE state = ANY(\(ApprovalState.allCases.filter(\.isFinal).map(\.rawValue))::text[])
          AND updated_at < now() - make_interval(days => \(days))
        """
    }

    private static let notFinal = ApprovalState.allCases.filter { !$0.isFinal }.map(\.rawValue)

    private static func target(of transition: ApprovalTransition) -> String {
        let targets = Set(ApprovalState.allCases.compactMap { $0.after(transition) })
        precondition(targets.count == 1, "\(transition) has no single target state")
        return targets.first!.rawValue
    }

    private static func sources(of transition: ApprovalTransition) -> [String] {
        ApprovalState.sources(of: transition).map(\.rawValue)
    }

    private static func record(_ row: PostgresRow) throws(PostgresError) -> ApprovalRecord {
        let stateText = try row.string("state")
        guard let state = ApprovalState(rawValue: stateText) else {
            throw PostgresError(kind: .conversion, serverMessage: "unknown approval state \(stateText)")
        }
        let decision = try row.optionalString("decision").flatMap(ApprovalDecision.init(rawValue:))
        return ApprovalRecord(
            id: try row.int64("id"), reference: try row.string("reference"), connectionID: try row.int64("connection_id"),
            businessEventRowID: try row.optionalInt64("business_event_id"), eventID: try row.optionalString("event_id"),
            workItemID: try row.string("work_item_id"), assignee: try row.string("assignee"), approverEmail: try row.optionalString("approver_email"),
            approverSlackID: try row.optionalString("approver_slack_id"), channelID: try row.optionalString("channel_id"),
            messageTS: try row.optionalString("message_ts"), state: state, decision: decision,
            reason: try row.optionalString("reason"), decidedBy: try row.optionalString("decided_by"),
            delegateSlackID: try row.optionalString("delegate_slack_id"), delegateUser: try row.optionalString("delegate_user"),
            decidedAt: try row.optionalString("decided_text"), summary: try row.string("summary"),
            card: try row.optionalString("card_text"), note: try row.optionalString("note"),
            escalationLevel: try row.optionalInt64("escalation_level").map { Int($0) },
            about: ApprovalDescription(subject: try row.optionalString("subject"), amount: try row.optionalDecimal("amount_text"),
                                       currency: try row.optionalString("currency"),
                                       due: try row.optionalInt64("due_us").map(FOTimestamp.init(microseconds:))),
            permalink: try row.optionalString("permalink"))
    }
}
