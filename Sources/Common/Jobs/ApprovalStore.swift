/// Approval rows: one per work item and connection, referenced from the card's buttons by an opaque random value.
struct ApprovalStore {
    let db: PostgresConnection

    init(_ db: PostgresConnection) { self.db = db }

    /// The approval for this work item, created pending when it does not exist yet.
    func open(connectionID: Int64, eventRow: Int64, workItemID: String, legalEntity: String, approverEmail: String?,
              approverSlackID: String?) throws -> (id: Int64, reference: String) {
        let reference = Digest.hex(try SecureRandom.bytes(16))
        let row = try db.query("""
            WITH created AS (
                INSERT INTO approval (reference, connection_id, business_event_id, work_item_id, legal_entity,
                                      approver_email, approver_slack_id)
                VALUES ($1, $2, $3, lower($4), $5, $6, $7)
                ON CONFLICT (connection_id, work_item_id) DO NOTHING
                RETURNING id, reference)
            SELECT id, reference FROM created
            UNION ALL
            SELECT id, reference FROM approval WHERE connection_id = $2 AND work_item_id = lower($4)
            LIMIT 1
            """, [reference, connectionID, eventRow, workItemID, legalEntity, approverEmail, approverSlackID]).first!
        return (try row.int64("id"), try row.string("reference"))
    }
}
