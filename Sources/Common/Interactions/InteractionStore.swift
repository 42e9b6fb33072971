/// The rows the click handler reads and changes, each in one short statement.
struct InteractionStore {
    struct Connection {
        let id: Int64
        let sealedSigningSecret: String
        var signingSecretAD: String { ConnectionSecrets.associatedData(connectionID: id, field: .slackSigningSecret) }
    }

    let db: PostgresConnection

    init(_ db: PostgresConnection) { self.db = db }

    /// The active connection and only its sealed signing secret.
    func connection(name: String) throws(PostgresError) -> Connection? {
        guard ConnectionRecord.isValidName(name) else { return nil }
        guard let row = try db.query("""
            SELECT c.id, s.sealed FROM connection c
            JOIN connection_secret s ON s.connection_id = c.id AND s.field = 'slack_signing_secret'
            WHERE c.name = $1 AND c.removed_at IS NULL
            """, [name]).first
        else { return nil }
        return Connection(id: try row.int64("id"), sealedSigningSecret: try row.string("sealed"))
    }

    /// Records a delivery (`trigger`/`event` + id); false when it was seen before.
    func firstDelivery(connectionID: Int64, kind: String, key: String) throws(PostgresError) -> Bool {
        try db.query("""
            INSERT INTO interaction_receipt (connection_id, kind, key) VALUES ($1, $2, $3)
            ON CONFLICT DO NOTHING RETURNING 1 AS new
            """, [connectionID, kind, key]).first != nil
    }

    func approval(reference: String, connectionID: Int64) throws(PostgresError) -> ApprovalRecord? {
        try db.query("SELECT \(ApprovalRecord.columns) FROM approval WHERE reference = $1 AND connection_id = $2",
                     [reference, connectionID]).first.map(ApprovalRecord.init)
    }

    /// pending → deciding for the assigned approver, atomically: only the first valid decision wins.
    func beginDecision(approvalID: Int64, user: String, decision: String, reason: String?) throws(PostgresError) -> Bool {
        try db.query("""
            UPDATE approval SET state = 'deciding', decision = $3, reason = $4, decided_by = $2, decided_at = now(),
                                updated_at = now()
            WHERE id = $1 AND state = 'pending' AND approver_slack_id = $2
            RETURNING id
            """, [approvalID, user, decision, reason]).first != nil
    }
}
