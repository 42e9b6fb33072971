/// Stores validated events, queues their jobs and audits each, all in one transaction (DESIGN.md §2.1 step 2).
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

    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// Stores the batch atomically; nothing is kept if any statement fails.
    public func store(_ events: [BusinessEvent], connectionID: Int64, connectionName: String) throws -> Counts {
        try db.transaction { db in
            let routes = try RouteStore(db).routes(connectionID: connectionID)
            let audit = AuditLog(db)
            var counts = Counts()
            for event in events {
                if event.isEndpointTest {
                    try audit.record(AuditEntry(action: "event.test", connection: connectionName, eventID: event.eventID,
                                                detail: "endpoint test event acknowledged"))
                    continue
                }
                let queued = event.isWorkflowCompletion
                    || routes.contains { $0.matchesEnvelope(businessEventID: event.businessEventID, legalEntity: event.legalEntity) }
                let inserted = try db.query("""
                    INSERT INTO business_event (connection_id, event_id, business_event_id, legal_entity, control_number,
                                                event_time, payload, disposition)
                    VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::jsonb, $8)
                    ON CONFLICT DO NOTHING RETURNING id
                    """, [connectionID, event.eventID, event.businessEventID, event.legalEntity, event.controlNumber,
                          event.eventTime?.postgresText, JSONValue.object(event.payload).serialized(),
                          queued ? "queued" : "ignored"]).first
                guard let rowID = try inserted?.int64("id") else {
                    counts.duplicates += 1
                    try audit.record(AuditEntry(action: "event.duplicate", connection: connectionName, eventID: event.eventID,
                                                detail: "\(event.businessEventID) control number \(event.controlNumber) already received"))
                    continue
                }
                guard queued else {
                    counts.ignored += 1
                    try audit.record(AuditEntry(action: "event.ignored", connection: connectionName, eventID: event.eventID,
                                                detail: "\(event.businessEventID) (\(event.legalEntity)) matches no route"))
                    continue
                }
                let kind: JobQueue.Kind = event.isWorkflowCompletion ? .workflowEvent : .deliverEvent
                let jobID = try JobQueue(db).enqueue(kind: kind, connectionID: connectionID, businessEventRowID: rowID,
                                                     dedupeKey: "event:\(rowID)")
                counts.accepted += 1
                try audit.record(AuditEntry(action: "event.received", connection: connectionName, eventID: event.eventID,
                                            jobID: jobID, detail: "\(event.businessEventID) (\(event.legalEntity)) queued as \(kind.rawValue)"))
            }
            return counts
        }
    }
}
