/// The environment's financial dimension formats (`DimensionIntegrationFormats`), read once a day per connection.
struct DimensionFormatCache {
    let db: PostgresConnection
    let dynamics: DynamicsClient
    let connectionID: Int64

    /// The active default-dimension format, or nil when the environment has none.
    func defaultFormat() throws -> DimensionFormat? {
        if let row = try db.query(
            "SELECT default_format FROM dimension_format WHERE connection_id = $1 AND expires_at > now()", [connectionID]).first {
            return try row.optionalString("default_format").map(DimensionFormat.init)
        }
        let rows = try dynamics.collection(ODataQuery(entitySet: "DimensionIntegrationFormats", crossCompany: false))
        let formats = DimensionFormat.active(in: rows)
        try db.query("""
            INSERT INTO dimension_format (connection_id, default_format, ledger_format, expires_at)
            VALUES ($1, $2, $3, now() + interval '1 day')
            ON CONFLICT (connection_id) DO UPDATE SET default_format = EXCLUDED.default_format,
                ledger_format = EXCLUDED.ledger_format, expires_at = EXCLUDED.expires_at
            """, [connectionID, formats.defaultFormat, formats.ledgerFormat])
        return formats.defaultFormat.map(DimensionFormat.init)
    }
}
