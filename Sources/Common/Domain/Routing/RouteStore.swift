public import Core
public import FoundationEssentials

/// Reads and writes routes.
public struct RouteStore {
    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// A JSON array of the connection's routes in evaluation order, for `routes(fromJSON:)`: a sub-select that
    /// other statements embed to read routes in their own round trip (`connectionID` is an SQL expression).
    static func aggregate(connectionID: String) -> String {
        """
        (SELECT coalesce(json_agg(json_build_object('id', r.id, 'pattern', r.event_pattern, 'legal_entity', r.legal_entity,
                                                    'min_amount', r.min_amount::text, 'destination', r.destination,
                                                    'channel_id', r.channel_id, 'email', r.email,
                                                    'fallback_channel', r.fallback_channel,
                                                    'digest_minutes', r.digest_minutes) ORDER BY r.id), '[]')::text
         FROM route r WHERE r.connection_id = \(connectionID))
        """
    }

    /// Routes as `aggregate` gives them.
    static func routes(fromJSON text: String) throws(PostgresError) -> [Route] {
        guard let rows = (try? JSONParser.parse(Array(text.utf8)))?.arrayValue else {
            throw PostgresError(kind: .conversion, serverMessage: "routes are not a JSON array")
        }
        return try rows.map { row throws(PostgresError) in
            guard let id = row["id"]?.int64Value, let pattern = row["pattern"]?.stringValue else {
                throw PostgresError(kind: .conversion, serverMessage: "a route lacks its id or pattern")
            }
            let destination: Route.Destination
            switch (row["destination"]?.stringValue, row["channel_id"]?.stringValue, row["email"]?.stringValue) {
            case ("channel", let channel?, _): destination = .channel(channel)
            case ("email", _, let email?): destination = .email(email)
            default: destination = .approver
            }
            return Route(id: id, pattern: EventPattern(pattern), legalEntity: row["legal_entity"]?.stringValue,
                         minAmount: row["min_amount"]?.stringValue.flatMap { Decimal(string: $0) }, destination: destination,
                         fallbackChannel: row["fallback_channel"]?.stringValue,
                         digest: row["digest_minutes"]?.arrayValue.flatMap { DigestSchedule(minutes: $0.compactMap { $0.int64Value.map(Int.init) }) })
        }
    }

    public func routes(connectionID: Int64) throws(PostgresError) -> [Route] {
        guard let row = try db.query("SELECT \(raw: Self.aggregate(connectionID: "c.id")) AS routes FROM connection c WHERE c.id = \(connectionID)").first
        else { return [] }
        return try Self.routes(fromJSON: try row.string("routes"))
    }

    @discardableResult
    public func add(connectionID: Int64, pattern: String, legalEntity: String?, minAmount: Decimal?,
                    destination: Route.Destination, fallbackChannel: String?, digest: DigestSchedule? = nil) throws(PostgresError) -> Int64 {
        var kind = "approver", channel: String?, email: String?
        switch destination {
        case .channel(let id): (kind, channel) = ("channel", id)
        case .email(let address): (kind, email) = ("email", address.lowercased())
        case .approver: break
        }
        guard let row = try db.query("""
            INSERT INTO route (connection_id, event_pattern, legal_entity, min_amount, destination, channel_id, email,
                               fallback_channel, digest_minutes)
            VALUES (\(connectionID), \(pattern), \(legalEntity?.lowercased()), \(minAmount)::numeric, \(kind), \(channel),
                    \(email), \(fallbackChannel), \(digest?.minutes)::integer[])
            RETURNING id
            """).first
        else { throw PostgresError(kind: .protocolFailure, serverMessage: "INSERT … RETURNING gave no row") }
        return try row.int64("id")
    }

    public func remove(routeID: Int64) throws(PostgresError) -> Bool {
        try db.query("DELETE FROM route WHERE id = \(routeID)").affectedRows == 1
    }
}
