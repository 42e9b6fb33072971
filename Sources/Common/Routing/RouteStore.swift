public import FoundationEssentials

/// Reads and writes routes.
public struct RouteStore {
    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    public func routes(connectionID: Int64) throws(PostgresError) -> [Route] {
        try db.query("""
            SELECT id, event_pattern, legal_entity, min_amount::text AS min_amount, destination, channel_id, email,
                   fallback_channel
            FROM route WHERE connection_id = $1 ORDER BY id
            """, [connectionID]).rows.map { row throws(PostgresError) in
            let destination: Route.Destination
            switch try row.string("destination") {
            case "channel": destination = .channel(try row.string("channel_id"))
            case "email": destination = .email(try row.string("email"))
            default: destination = .approver
            }
            return Route(id: try row.int64("id"), pattern: EventPattern(try row.string("event_pattern")),
                         legalEntity: try row.optionalString("legal_entity"), minAmount: try row.optionalDecimal("min_amount"),
                         destination: destination, fallbackChannel: try row.optionalString("fallback_channel"))
        }
    }

    @discardableResult
    public func add(connectionID: Int64, pattern: String, legalEntity: String?, minAmount: Decimal?,
                    destination: Route.Destination, fallbackChannel: String?) throws(PostgresError) -> Int64 {
        var kind = "approver", channel: String?, email: String?
        switch destination {
        case .channel(let id): (kind, channel) = ("channel", id)
        case .email(let address): (kind, email) = ("email", address.lowercased())
        case .approver: break
        }
        return try db.query("""
            INSERT INTO route (connection_id, event_pattern, legal_entity, min_amount, destination, channel_id, email,
                               fallback_channel)
            VALUES ($1, $2, $3, $4::numeric, $5, $6, $7, $8) RETURNING id
            """, [connectionID, pattern, legalEntity?.lowercased(), minAmount, kind, channel, email, fallbackChannel])
            .first!.int64("id")
    }

    public func remove(routeID: Int64) throws(PostgresError) -> Bool {
        try db.query("DELETE FROM route WHERE id = $1", [routeID]).affectedRows == 1
    }
}
