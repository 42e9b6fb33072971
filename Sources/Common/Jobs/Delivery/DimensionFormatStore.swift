public import Core

/// Every statement on `dimension_format`: the environment's active financial dimension formats, per connection,
/// kept for a day.
public struct DimensionFormatStore {
    private let db: PostgresConnection
    private let connectionID: Int64

    public init(_ db: PostgresConnection, connectionID: Int64) {
        self.db = db
        self.connectionID = connectionID
    }

    /// The cached default-dimension format (`.some(nil)`: the environment has none); nil when nothing current is cached.
    public func cachedDefaultFormat() throws(PostgresError) -> String?? {
        guard let row = try db.query("""
            SELECT default_format FROM dimension_format WHERE connection_id = \(connectionID) AND expires_at > now()
            """).first
        else { return nil }
        return .some(try row.optionalString("default_format"))
    }

    public func store(defaultFormat: String?, ledgerFormat: String?) throws(PostgresError) {
        try db.query("""
            INSERT INTO dimension_format (connection_id, default_format, ledger_format, expires_at)
            VALUES (\(connectionID), \(defaultFormat), \(ledgerFormat), now() + interval '1 day')
            ON CONFLICT (connection_id) DO UPDATE SET default_format = EXCLUDED.default_format,
                ledger_format = EXCLUDED.ledger_format, expires_at = EXCLUDED.expires_at
            """)
    }
}
