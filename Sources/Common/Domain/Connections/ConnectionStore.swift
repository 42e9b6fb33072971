public import Core

/// Reads and writes connections and their sealed secrets.
public struct ConnectionStore {
    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    private static let columns = """
        id, name, tenant_id, client_id, entra_authority, slack_api_url, catalog::text AS catalog_text,
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_text
        """

    private static func record(_ row: PostgresRow) throws(PostgresError) -> ConnectionRecord {
        ConnectionRecord(id: try row.int64("id"), name: try row.string("name"), tenantID: try row.string("tenant_id"),
                         clientID: try row.string("client_id"), entraAuthority: try row.string("entra_authority"),
                         slackAPIURL: try row.string("slack_api_url"), createdAt: try row.string("created_text"),
                         catalog: (try? JSONParser.parse(Array(try row.string("catalog_text").utf8))) ?? .object(JSONObject()))
    }

    public func find(name: String) throws(PostgresError) -> ConnectionRecord? {
        guard ConnectionRecord.isValidName(name) else { return nil }
        return try db.query("SELECT \(raw: Self.columns) FROM connection WHERE name = \(name) AND removed_at IS NULL")
            .first.map(Self.record)
    }

    /// An active connection by id.
    public func record(id: Int64) throws(PostgresError) -> ConnectionRecord? {
        try db.query("SELECT \(raw: Self.columns) FROM connection WHERE id = \(id) AND removed_at IS NULL").first.map(Self.record)
    }

    public func list() throws(PostgresError) -> [ConnectionRecord] {
        try db.query("SELECT \(raw: Self.columns) FROM connection WHERE removed_at IS NULL ORDER BY name").rows.map(Self.record)
    }

    /// Inserts the connection and its sealed secrets in one transaction. A name already in use fails with a
    /// unique violation.
    public func add(name: String, tenantID: String, clientID: String, entraAuthority: String, slackAPIURL: String,
                    eventKeyHash: [UInt8], secrets: ConnectionSecrets, box: SecretBox) throws -> ConnectionRecord {
        try db.transaction { db in
            guard let row = try db.query("""
                INSERT INTO connection (name, tenant_id, client_id, entra_authority, slack_api_url, event_key_hash)
                VALUES (\(name), \(tenantID), \(clientID), \(entraAuthority), \(slackAPIURL), \(Bytea(eventKeyHash)))
                RETURNING \(raw: Self.columns)
                """).first
            else { throw PostgresError(kind: .protocolFailure, serverMessage: "INSERT … RETURNING gave no row") }
            let record = try Self.record(row)
            // Every F&O call of this connection shares one bucket, so a 429 holds them all back.
            try JobStore(db).ensureBucket(RateKey.dynamics(connectionID: record.id))
            for (field, value) in secrets.values {
                try storeSecret(value, field: field, connectionID: record.id, box: box, on: db)
            }
            return record
        }
    }

    /// Replaces the connection's event catalog overrides (validated by the caller).
    public func setCatalog(_ overrides: JSONValue, connectionID: Int64) throws(PostgresError) {
        try db.query("UPDATE connection SET catalog = \(overrides)::jsonb, updated_at = now() WHERE id = \(connectionID)")
    }

    /// Marks the connection removed and deletes its secrets; events, jobs and audit rows stay.
    public func remove(name: String) throws -> Bool {
        try db.transaction { db in
            guard let row = try db.query(
                "UPDATE connection SET removed_at = now(), updated_at = now() WHERE name = \(name) AND removed_at IS NULL RETURNING id").first
            else { return false }
            let id = try row.int64("id")
            try db.query("DELETE FROM connection_secret WHERE connection_id = \(id)")
            // The cached access token is sealed like a secret: it goes with them.
            try db.query("DELETE FROM access_token WHERE connection_id = \(id)")
            return true
        }
    }

    /// Which secret fields are stored for a connection (names only).
    public func secretFields(connectionID: Int64) throws(PostgresError) -> [ConnectionSecrets.Field] {
        var fields: [ConnectionSecrets.Field] = []
        for row in try db.query("SELECT field FROM connection_secret WHERE connection_id = \(connectionID) ORDER BY field").rows {
            if let field = ConnectionSecrets.Field(rawValue: try row.string("field")) { fields.append(field) }
        }
        return fields
    }

    /// Opens only the requested secrets (a handler decrypts just what it needs).
    public func secrets(connectionID: Int64, fields: [ConnectionSecrets.Field], box: SecretBox) throws -> ConnectionSecrets {
        let rows = try db.query("""
            SELECT field, sealed FROM connection_secret
            WHERE connection_id = \(connectionID) AND field = ANY(\(fields.map(\.rawValue))::text[])
            """).rows
        var values: [ConnectionSecrets.Field: String] = [:]
        for row in rows {
            guard let field = ConnectionSecrets.Field(rawValue: try row.string("field")) else { continue }
            values[field] = try box.openString(
                try row.string("sealed"),
                associatedData: ConnectionSecrets.associatedData(connectionID: connectionID, field: field))
        }
        return ConnectionSecrets(values)
    }

    /// Re-seals every stored secret under the current master key; returns how many were re-sealed.
    public func resealAll(box: SecretBox, currentKeyID: String) throws -> Int {
        try db.transaction { db in
            let rows = try db.query(
                "SELECT connection_id, field, sealed FROM connection_secret WHERE key_id <> \(currentKeyID) FOR UPDATE").rows
            for row in rows {
                let id = try row.int64("connection_id")
                guard let field = ConnectionSecrets.Field(rawValue: try row.string("field")) else { continue }
                let plain = try box.openString(try row.string("sealed"),
                                               associatedData: ConnectionSecrets.associatedData(connectionID: id, field: field))
                try storeSecret(plain, field: field, connectionID: id, box: box, on: db)
            }
            return rows.count
        }
    }

    private func storeSecret(_ value: String, field: ConnectionSecrets.Field, connectionID: Int64, box: SecretBox,
                             on db: PostgresConnection) throws {
        let sealed = try box.seal(value, associatedData: ConnectionSecrets.associatedData(connectionID: connectionID, field: field))
        try db.query("""
            INSERT INTO connection_secret (connection_id, field, sealed, key_id)
            VALUES (\(connectionID), \(field.rawValue), \(sealed), \(SecretBox.keyID(of: sealed) ?? ""))
            ON CONFLICT (connection_id, field) DO UPDATE SET sealed = EXCLUDED.sealed, key_id = EXCLUDED.key_id,
                                                             updated_at = now()
            """)
    }

    /// The active connection of that name and one of its secrets still sealed, in one round trip: what the click
    /// handler needs before it has verified anything (it opens the secret only then).
    public func sealedSecret(_ field: ConnectionSecrets.Field, connectionName name: String) throws(PostgresError)
        -> (connectionID: Int64, sealed: String)? {
        guard ConnectionRecord.isValidName(name) else { return nil }
        guard let row = try db.query("""
            SELECT c.id, s.sealed FROM connection c
            JOIN connection_secret s ON s.connection_id = c.id AND s.field = \(field.rawValue)
            WHERE c.name = \(name) AND c.removed_at IS NULL
            """).first
        else { return nil }
        return (try row.int64("id"), try row.string("sealed"))
    }
}
