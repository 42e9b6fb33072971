/// The environment's financial dimension formats (`DimensionIntegrationFormats`), read once a day per connection.
struct DimensionFormatCache {
    let db: PostgresConnection
    let dynamics: DynamicsClient
    let connectionID: Int64
    /// The catalog's read for `DimensionIntegrationFormats`.
    let read: ReadTemplate

    /// The active default-dimension format, or nil when the environment has none.
    func defaultFormat() throws -> DimensionFormat? {
        if let row = try db.query(
            "SELECT default_format FROM dimension_format WHERE connection_id = $1 AND expires_at > now()", [connectionID]).first {
            return try row.optionalString("default_format").map(DimensionFormat.init)
        }
        guard let query = read.query(in: TemplateContext(payload: JSONObject(), legalEntity: "")) else { return nil }
        let rows = JSONValue.array(try dynamics.collection(query))
        let defaultFormat = DimensionFormat.active(.defaultDimension, in: rows)
        let ledgerFormat = DimensionFormat.active(.ledgerDimension, in: rows)
        try db.query("""
            INSERT INTO dimension_format (connection_id, default_format, ledger_format, expires_at)
            VALUES ($1, $2, $3, now() + interval '1 day')
            ON CONFLICT (connection_id) DO UPDATE SET default_format = EXCLUDED.default_format,
                ledger_format = EXCLUDED.ledger_format, expires_at = EXCLUDED.expires_at
            """, [connectionID, defaultFormat?.text, ledgerFormat?.text])
        return defaultFormat
    }
}
