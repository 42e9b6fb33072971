/// Stores validated events, queues their jobs and audits each (DESIGN.md §2.1 step 2).
///
/// The handler runs once per request against a cold PostgreSQL backend, so round trips are few: one query for
/// the connection, its key hash and its route envelopes, then one statement per event that inserts the event,
/// its job and its audit row together. A single event needs no explicit transaction (one statement is atomic);
/// a batch is wrapped in one, all or nothing.
public struct EventIntake {
    public struct Counts: Sendable, Equatable {
        public var accepted = 0
        public var duplicates = 0
        public var ignored = 0

        public init(accepted: Int = 0, duplicates: Int = 0, ignored: Int = 0) {
            self.accepted = accepted
            self.duplicates = duplicates
            self.ignored = ignored
        }

        /// Whether anything was newly stored (202) rather than only duplicates or test events (200).
        public var storedAny: Bool { accepted + ignored > 0 }

        public var json: JSONValue {
            ["accepted": .number(String(accepted)), "duplicates": .number(String(duplicates)),
             "ignored": .number(String(ignored))]
        }
    }

    /// An active connection as the intake needs it.
    public struct Target: Sendable {
        public let connectionID: Int64
        public let name: String
        public let eventKeyHash: [UInt8]
        /// Pattern and legal entity of each route; the amount is checked once the document is read.
        public let routes: [(pattern: EventPattern, legalEntity: String?)]

        func routes(_ event: BusinessEvent) -> Bool {
            routes.contains { $0.pattern.matches(event.businessEventID) && ($0.legalEntity == nil || $0.legalEntity == event.legalEntity) }
        }
    }

    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// The active connection of that name, or nil.
    public func target(name: String) throws(PostgresError) -> Target? {
        guard ConnectionRecord.isValidName(name) else { return nil }
        guard let row = try db.query("""
            SELECT c.id, c.event_key_hash,
                   (SELECT coalesce(json_agg(json_build_object('p', r.event_pattern, 'e', r.legal_entity) ORDER BY r.id), '[]')
                    FROM route r WHERE r.connection_id = c.id) AS routes
            FROM connection c WHERE c.name = $1 AND c.removed_at IS NULL
            """, [name]).first
        else { return nil }
        let routes = (try? JSONParser.parse(Array(try row.string("routes").utf8)))?.arrayValue ?? []
        return Target(connectionID: try row.int64("id"), name: name, eventKeyHash: try row.bytes("event_key_hash"),
                      routes: routes.compactMap { route in
                          route["p"]?.stringValue.map { (EventPattern($0), route["e"]?.stringValue) }
                      })
    }

    /// Stores the batch atomically; nothing is kept if any statement fails.
    public func store(_ events: [BusinessEvent], for target: Target) throws -> Counts {
        if events.count == 1 { return try store(events[0], for: target, counts: Counts()) }
        return try db.transaction { _ in
            try events.reduce(Counts()) { counts, event in try store(event, for: target, counts: counts) }
        }
    }

    private func store(_ event: BusinessEvent, for target: Target, counts: Counts) throws -> Counts {
        var counts = counts
        if event.isEndpointTest {
            try AuditLog(db).record(AuditEntry(action: "event.test", connection: target.name, eventID: event.eventID,
                                               detail: "endpoint test event acknowledged"))
            return counts
        }
        let kind: JobQueue.Kind? = event.isWorkflowCompletion ? .workflowEvent : target.routes(event) ? .deliverEvent : nil
        let summary = "\(event.businessEventID) (\(event.legalEntity.isEmpty ? "no legal entity" : event.legalEntity))"
        let row = try db.query("""
            WITH event AS (
                INSERT INTO business_event (connection_id, event_id, business_event_id, legal_entity, control_number,
                                            event_time, payload, disposition)
                VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::jsonb, CASE WHEN $8::text IS NULL THEN 'ignored' ELSE 'queued' END)
                ON CONFLICT DO NOTHING
                RETURNING id),
            job AS (
                INSERT INTO job (kind, connection_id, business_event_id, dedupe_key, rate_key)
                SELECT $8, $1, event.id, 'event:' || event.id, $14
                FROM event WHERE $8::text IS NOT NULL
                RETURNING id),
            audit AS (
                INSERT INTO audit_log (connection, event_id, job_id, action, outcome, detail)
                SELECT $9, $2, (SELECT id FROM job),
                       CASE WHEN NOT EXISTS (SELECT 1 FROM event) THEN 'event.duplicate'
                            WHEN $8::text IS NULL THEN 'event.ignored' ELSE 'event.received' END,
                       'ok',
                       CASE WHEN NOT EXISTS (SELECT 1 FROM event) THEN $10
                            WHEN $8::text IS NULL THEN $11 ELSE $12 END)
            SELECT (SELECT id FROM event) AS event_row,
                   CASE WHEN EXISTS (SELECT 1 FROM job) THEN pg_notify($13, '') IS NULL END AS notified
            """, [target.connectionID, event.eventID, event.businessEventID, event.legalEntity, event.controlNumber,
                  event.eventTime?.postgresText, JSONValue.object(event.payload).serialized(), kind?.rawValue, target.name,
                  "\(summary) control number \(event.controlNumber) already received",
                  "\(summary) matches no route", "\(summary) queued as \(kind?.rawValue ?? "")",
                  JobQueue.notifyChannel,
                  kind == .deliverEvent ? JobQueue.dynamicsRateKey(target.connectionID) : "default"]).first
        if try row?.optionalInt64("event_row") == nil {
            counts.duplicates += 1
        } else if kind == nil {
            counts.ignored += 1
        } else {
            counts.accepted += 1
        }
        return counts
    }
}
