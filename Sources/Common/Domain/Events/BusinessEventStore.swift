public import Core

/// Every statement on `business_event`: the intake's (DESIGN.md §2.1 step 2), which stores validated events,
/// queues their jobs and audits each, and the jobs' read of a stored event.
///
/// The intake runs once per request against a cold PostgreSQL backend, so round trips are few: one query for the
/// connection, its key hash, its catalog overrides and its routes, then one statement per event that inserts the
/// event, its job and its audit row together. A single event needs no explicit transaction (one statement is
/// atomic); a batch is wrapped in one, all or nothing.
public struct BusinessEventStore {
    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// The active connection of that name as the intake needs it, or nil.
    public func intakeTarget(name: String) throws(PostgresError) -> IntakeTarget? {
        guard ConnectionRecord.isValidName(name) else { return nil }
        guard let row = try db.query("""
            SELECT c.id, c.event_key_hash, c.catalog::text AS catalog, \(raw: RouteStore.aggregate(connectionID: "c.id")) AS routes
            FROM connection c WHERE c.name = \(name) AND c.removed_at IS NULL
            """).first
        else { return nil }
        return IntakeTarget(connectionID: try row.int64("id"), name: name, eventKeyHash: try row.bytes("event_key_hash"),
                            routes: try RouteStore.routes(fromJSON: try row.string("routes")),
                            catalogOverrides: try row.string("catalog"))
    }

    /// Stores the batch atomically; nothing is kept if any statement fails.
    public func store(_ events: [BusinessEvent], for target: IntakeTarget) throws -> IntakeCounts {
        if events.count == 1 { return try store(events[0], for: target, counts: IntakeCounts()) }
        return try db.transaction { _ in
            try events.reduce(IntakeCounts()) { counts, event in try store(event, for: target, counts: counts) }
        }
    }

    private func store(_ event: BusinessEvent, for target: IntakeTarget, counts: IntakeCounts) throws -> IntakeCounts {
        var counts = counts
        if event.isEndpointTest {
            try AuditStore(db).record(AuditEntry(action: "event.test", connection: target.name, eventID: event.eventID,
                                                 detail: "endpoint test event acknowledged"))
            return counts
        }
        let job = target.job(for: event)
        let kind = job?.rawValue
        let rateKey = job == .deliverEvent ? RateKey.dynamics(connectionID: target.connectionID) : RateKey.unpaced
        let summary = "\(event.businessEventID) (\(event.legalEntity.isEmpty ? "no legal entity" : event.legalEntity))"
        let duplicate = "\(summary) control number \(event.controlNumber) already received"
        let ignored = "\(summary) matches no route"
        let queued = "\(summary) queued as \(kind ?? "")"
        let row = try db.query("""
            WITH event AS (
                INSERT INTO business_event (connection_id, event_id, business_event_id, legal_entity, control_number,
                                            event_time, payload, disposition)
                VALUES (\(target.connectionID), \(event.eventID), \(event.businessEventID), \(event.legalEntity),
                        \(event.controlNumber), \(event.eventTime?.postgresText)::timestamptz,
                        \(JSONValue.object(event.payload))::jsonb,
                        CASE WHEN \(kind)::text IS NULL THEN 'ignored' ELSE 'queued' END)
                ON CONFLICT DO NOTHING
                RETURNING id),
            job AS (
                INSERT INTO job (kind, connection_id, business_event_id, dedupe_key, rate_key)
                SELECT \(kind), \(target.connectionID), event.id, 'event:' || event.id, \(rateKey)
                FROM event WHERE \(kind)::text IS NOT NULL
                RETURNING id),
            audit AS (
                INSERT INTO audit_log (connection, event_id, job_id, action, outcome, detail)
                SELECT \(target.name), \(event.eventID), (SELECT id FROM job),
                       CASE WHEN NOT EXISTS (SELECT 1 FROM event) THEN 'event.duplicate'
                            WHEN \(kind)::text IS NULL THEN 'event.ignored' ELSE 'event.received' END,
                       'ok',
                       CASE WHEN NOT EXISTS (SELECT 1 FROM event) THEN \(duplicate)
                            WHEN \(kind)::text IS NULL THEN \(ignored) ELSE \(queued) END)
            SELECT (SELECT id FROM event) AS event_row,
                   CASE WHEN EXISTS (SELECT 1 FROM job) THEN pg_notify(\(JobStore.notifyChannel), '') IS NULL END AS notified
            """).first
        if try row?.optionalInt64("event_row") == nil {
            counts.duplicates += 1
        } else if kind == nil {
            counts.ignored += 1
        } else {
            counts.accepted += 1
        }
        return counts
    }

    /// A stored payload (as the claim returns it with the job), validated again as the intake did.
    public static func event(payload: String) throws -> BusinessEvent {
        try BusinessEvent.parse(try JSONParser.parse(Array(payload.utf8)))
    }

    // MARK: Retention (RetentionPolicy.Kind.businessEvents)

    /// Deletes up to `limit` events received more than `days` ago in one statement; returns how many went. An event
    /// stays while a job, a posted-message record or an approval refers to it (the approval of an open work item is
    /// never deleted, so neither is its event); those go first, by their own rules.
    public func purge(olderThanDays days: Int, limit: Int) throws(PostgresError) -> Int {
        try db.deleteBatch(from: "business_event", key: "id", candidates: Self.purgeable(days), limit: limit)
    }

    /// Events `purge` would delete now.
    public func countPurgeable(olderThanDays days: Int) throws(PostgresError) -> Int64 {
        try db.count(of: Self.purgeable(days))
    }

    private static func purgeable(_ days: Int) -> SQL {
        """
        SELECT e.id FROM business_event e
        WHERE e.received_at < now() - make_interval(days => \(days))
          AND NOT EXISTS (SELECT 1 FROM approval a WHERE a.business_event_id = e.id)
          AND NOT EXISTS (SELECT 1 FROM job j WHERE j.business_event_id = e.id)
          AND NOT EXISTS (SELECT 1 FROM slack_message m WHERE m.business_event_id = e.id)
        """
    }
}
