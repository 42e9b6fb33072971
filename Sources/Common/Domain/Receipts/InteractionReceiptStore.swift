public import Core

/// Every statement on `interaction_receipt`: each Slack delivery (`trigger_id`, `event_id`) seen, so a repeated
/// delivery is acknowledged and not acted on twice. In Domain rather than Interactions so the worker's retention
/// sweep (Jobs) can purge it.
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

    // MARK: Retention (RetentionPolicy.Kind.interactionReceipts)

    /// Deletes up to `limit` receipts older than `days` in one statement; returns how many went. No approval holds a
    /// receipt: Slack repeats a delivery within minutes, and a later click on an open card has a trigger_id of its own.
    public func purge(olderThanDays days: Int, limit: Int) throws(PostgresError) -> Int {
        try db.deleteBatch(from: "interaction_receipt", key: "(connection_id, kind, key)", candidates: Self.purgeable(days), limit: limit)
    }

    /// Receipts `purge` would delete now.
    public func countPurgeable(olderThanDays days: Int) throws(PostgresError) -> Int64 {
        try db.count(of: Self.purgeable(days))
    }

    private static func purgeable(_ days: Int) -> SQL {
        """
        SELECT connection_id, kind, key FROM interaction_receipt WHERE received_at < now() - make_interval(days => \(days))
        """
    }
}
