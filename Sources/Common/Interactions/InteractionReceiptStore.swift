public import Core

/// Every statement on `interaction_receipt`: each Slack delivery (`trigger_id`, `event_id`) seen, so a repeated
/// delivery is acknowledged and not acted on twice.
public struct InteractionReceiptStore {
    public enum Kind: String, Sendable {
        case trigger, event
    }

    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// Records a delivery; false when it was seen before.
    public func firstDelivery(connectionID: Int64, kind: Kind, key: String) throws(PostgresError) -> Bool {
        try db.query("""
            INSERT INTO interaction_receipt (connection_id, kind, key) VALUES (\(connectionID), \(kind.rawValue), \(key))
            ON CONFLICT DO NOTHING RETURNING 1 AS new
            """).first != nil
    }
}
