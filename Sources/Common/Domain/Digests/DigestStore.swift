public import Core
public import FoundationEssentials

/// Every statement on `digest_item`: the notices waiting for their route's digest in a channel.
public struct DigestStore {
    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// A notice waiting for its digest.
    public struct Waiting: Sendable {
        public let id: Int64
        /// Unix seconds.
        public let createdAt: Int64
        public let item: DigestItem
    }

    /// Adds the event's notice to the digest of `slot` (Unix seconds) for the route's channel; false when it is
    /// there already (a retried delivery).
    public func add(connectionID: Int64, routeID: Int64, channel: String, eventRow: Int64, slot: Int64,
                    item: DigestItem) throws(PostgresError) -> Bool {
        try db.query("""
            INSERT INTO digest_item (connection_id, route_id, channel_id, business_event_id, slot_at, title, summary, link,
                                     amount, currency)
            VALUES (\(connectionID), \(routeID), \(channel), \(eventRow), to_timestamp(\(slot)::float8), \(item.title),
                    \(item.summary), \(item.link), \(item.amount)::numeric, \(item.currency))
            ON CONFLICT (route_id, channel_id, business_event_id) DO NOTHING
            """).affectedRows == 1
    }

    /// The route's notices for the channel not yet posted and queued for `slot` or before, oldest first.
    public func waiting(routeID: Int64, channel: String, upTo slot: Int64) throws(PostgresError) -> [Waiting] {
        try db.query("""
            SELECT id, floor(extract(epoch FROM created_at))::bigint AS created, title, summary, link, amount::text AS amount, currency
            FROM digest_item
            WHERE route_id = \(routeID) AND channel_id = \(channel) AND posted_job_id IS NULL
              AND slot_at <= to_timestamp(\(slot)::float8)
            ORDER BY created_at, id
            """).rows.map { row throws(PostgresError) in
            Waiting(id: try row.int64("id"), createdAt: try row.int64("created"),
                    item: DigestItem(title: try row.string("title"), summary: try row.optionalString("summary"),
                                     link: try row.optionalString("link"), amount: try row.optionalDecimal("amount"),
                                     currency: try row.optionalString("currency")))
        }
    }

    /// Marks the notices as posted by the job; runs in the transaction that records its message.
    public func markPosted(_ ids: [Int64], jobID: Int64) throws(PostgresError) {
        try db.query("UPDATE digest_item SET posted_job_id = \(jobID) WHERE id = ANY(\(ids.map(String.init))::bigint[])")
    }
}
