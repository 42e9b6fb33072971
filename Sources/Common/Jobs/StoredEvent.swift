/// A business event as stored by the intake, re-read by a job.
struct StoredEvent {
    let rowID: Int64
    let event: BusinessEvent

    static func load(rowID: Int64, db: PostgresConnection) throws -> StoredEvent {
        guard let row = try db.query("SELECT payload::text AS payload FROM business_event WHERE id = $1", [rowID]).first else {
            throw PlatformError(.permanent, "business event \(rowID) no longer exists")
        }
        let event = try BusinessEvent.parse(try JSONParser.parse(Array(try row.string("payload").utf8)))
        return StoredEvent(rowID: rowID, event: event)
    }
}
