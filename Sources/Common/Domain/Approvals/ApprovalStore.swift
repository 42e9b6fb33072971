public import Core

/// Every statement on the `approval` table: one row per work item and connection, referenced from the card's
/// buttons by an opaque random value. State changes are compare-and-sets from the states `ApprovalState` allows,
/// so two workers or two clicks can never both move one approval.
public struct ApprovalStore {
    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    private static let columns = """
        id, reference, connection_id, business_event_id, work_item_id, approver_email, approver_slack_id, channel_id,
        message_ts, state, decision, reason, decided_by, summary, card::text AS card_text,
        (SELECT e.event_id FROM business_event e WHERE e.id = approval.business_event_id) AS event_id,
        to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') AS decided_text
        """

    /// The approval for this work item, created pending when it does not exist yet.
    public func open(connectionID: Int64, eventRow: Int64, workItemID: String, legalEntity: String, approverEmail: String?,
                     approverSlackID: String?) throws -> (id: Int64, reference: String) {
        let reference = Digest.hex(try SecureRandom.bytes(16))
        // Two deliveries racing on one new work item: the loser's INSERT finds the winner's row only once the
        // winner commits, which the next attempt sees.
        for _ in 0..<3 {
            if let row = try db.query("""
                WITH created AS (
                    INSERT INTO approval (reference, connection_id, business_event_id, work_item_id, legal_entity,
                                          approver_email, approver_slack_id)
                    VALUES (\(reference), \(connectionID), \(eventRow), lower(\(workItemID)), \(legalEntity),
                            \(approverEmail), \(approverSlackID))
                    ON CONFLICT (connection_id, work_item_id) DO NOTHING
                    RETURNING id, reference)
                SELECT id, reference FROM created
                UNION ALL
                SELECT id, reference FROM approval WHERE connection_id = \(connectionID) AND work_item_id = lower(\(workItemID))
                LIMIT 1
                """).first {
                return (try row.int64("id"), try row.string("reference"))
            }
        }
        throw PostgresError(kind: .statement, sqlState: "40001", serverMessage: "approval row for the work item not visible yet")
    }

    public func record(id: Int64) throws(PostgresError) -> ApprovalRecord? {
        try db.query("SELECT \(raw: Self.columns) FROM approval WHERE id = \(id)").first.map(Self.record)
    }

    public func record(reference: String, connectionID: Int64) throws(PostgresError) -> ApprovalRecord? {
        try db.query("SELECT \(raw: Self.columns) FROM approval WHERE reference = \(reference) AND connection_id = \(connectionID)")
            .first.map(Self.record)
    }

    /// `pending → deciding` for the assigned approver, atomically: only the first valid decision wins.
    public func beginDecision(approvalID: Int64, user: String, decision: ApprovalDecision, reason: String?) throws(PostgresError) -> Bool {
        let transition = ApprovalTransition.decide(decision)
        return try db.query("""
            UPDATE approval SET state = \(Self.target(of: transition)), decision = \(decision.rawValue), reason = \(reason),
                                decided_by = \(user), decided_at = now(), updated_at = now()
            WHERE id = \(approvalID) AND state = ANY(\(Self.sources(of: transition))::text[]) AND approver_slack_id = \(user)
            RETURNING id
            """).first != nil
    }

    /// Moves the approval on when its state still allows `transition`; false when it did not.
    @discardableResult
    public func apply(_ transition: ApprovalTransition, approvalID: Int64) throws(PostgresError) -> Bool {
        try db.query("""
            UPDATE approval SET state = \(Self.target(of: transition)), updated_at = now()
            WHERE id = \(approvalID) AND state = ANY(\(Self.sources(of: transition))::text[])
            RETURNING id
            """).first != nil
    }

    /// Closes the open approval of a work item that F&O completed by other means; returns it, or nil when none
    /// was open.
    public func closeInDynamics(connectionID: Int64, workItemID: String) throws(PostgresError) -> ApprovalRecord? {
        let transition = ApprovalTransition.completedInDynamics
        return try db.query("""
            UPDATE approval SET state = \(Self.target(of: transition)), updated_at = now(), decided_at = now(),
                                decided_by = 'Dynamics 365', decision = NULL
            WHERE connection_id = \(connectionID) AND lower(work_item_id) = lower(\(workItemID))
              AND state = ANY(\(Self.sources(of: transition))::text[])
            RETURNING \(raw: Self.columns)
            """).first.map(Self.record)
    }

    /// Where the card was posted, and the card itself, so later states can update it.
    public func recordPost(approvalID: Int64, channel: String, ts: String, card: JSONValue, summary: String) throws(PostgresError) {
        try db.query("""
            UPDATE approval SET channel_id = \(channel), message_ts = \(ts), card = \(card)::jsonb, summary = \(summary),
                                updated_at = now()
            WHERE id = \(approvalID)
            """)
    }

    /// The card as it now reads in Slack.
    public func saveCard(_ card: JSONValue, approvalID: Int64) throws(PostgresError) {
        try db.query("UPDATE approval SET card = \(card)::jsonb WHERE id = \(approvalID)")
    }

    /// The one target of a transition whose target does not depend on the state it starts from.
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
            workItemID: try row.string("work_item_id"), approverEmail: try row.optionalString("approver_email"),
            approverSlackID: try row.optionalString("approver_slack_id"), channelID: try row.optionalString("channel_id"),
            messageTS: try row.optionalString("message_ts"), state: state, decision: decision,
            reason: try row.optionalString("reason"), decidedBy: try row.optionalString("decided_by"),
            decidedAt: try row.optionalString("decided_text"), summary: try row.string("summary"),
            card: try row.optionalString("card_text"))
    }
}
