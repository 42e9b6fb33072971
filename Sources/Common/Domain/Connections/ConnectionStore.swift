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

    /// Marks the connection removed and deletes its secrets; events, jobs and audit rows stay. Returns its id, or
    /// nil when no active connection has that name. Run it in the caller's transaction, with the removal of
    /// whatever else of the connection is sealed (its cached access token: `AccessTokenStore`).
    public func remove(name: String) throws(PostgresError) -> Int64? {
        guard let row = try db.query(
            "UPDATE connection SET removed_at = now(), updated_at = now() WHERE name = \(name) AND removed_at IS NULL RETURNING id").first
        else { return nil }
        let id = try row.int64("id")
        try db.query("DELETE FROM connection_secret WHERE connection_id = \(id)")
        return id
    }

    /// Applies an update to an active connection (DESIGN.md §6.2). Run it in the caller's transaction (with the
    /// expiry of a cached token the change invalidates, and its audit row). The row is locked first, so two updates
    /// of one connection run one after the other; a signing secret equal to the current one changes nothing (running
    /// the same command twice never pushes the real previous secret out).
    public func update(connectionID: Int64, _ update: ConnectionUpdate, box: SecretBox) throws -> ConnectionChanges {
        var changes = ConnectionChanges()
        guard try db.query("SELECT id FROM connection WHERE id = \(connectionID) AND removed_at IS NULL FOR UPDATE").first != nil
        else { throw PostgresError(kind: .protocolFailure, serverMessage: "the connection was removed meanwhile") }
        for (column, value) in [("tenant_id", update.tenantID), ("client_id", update.clientID),
                                ("entra_authority", update.entraAuthority), ("slack_api_url", update.slackAPIURL)] {
            guard let value else { continue }
            let updated = try db.query("""
                UPDATE connection SET \(raw: column) = \(value), updated_at = now()
                WHERE id = \(connectionID) AND \(raw: column) IS DISTINCT FROM \(value) RETURNING id
                """)
            if updated.first != nil { changes.changed.append(Self.label(column)) }
        }
        if let hash = update.eventKeyHash {
            try db.query("UPDATE connection SET event_key_hash = \(Bytea(hash)), updated_at = now() WHERE id = \(connectionID)")
            changes.changed.append("event key")
        }
        for field in ConnectionSecrets.Field.allCases {
            guard let value = update.secrets[field] else { continue }
            try storeSecret(value, field: field, connectionID: connectionID, box: box, on: db)
            changes.changed.append(Self.label(field.rawValue))
        }
        if let secret = update.signingSecret {
            let current = try secrets(connectionID: connectionID, fields: [.slackSigningSecret], box: box)[.slackSigningSecret]
            if current != secret {
                if let current, !update.dropPreviousSigningSecret {
                    try storeSecret(current, field: .slackSigningSecretPrevious, connectionID: connectionID, box: box, on: db)
                    changes.signingSecretRotated = true
                }
                try storeSecret(secret, field: .slackSigningSecret, connectionID: connectionID, box: box, on: db)
                changes.changed.append("slack signing secret")
            }
        }
        if update.dropPreviousSigningSecret {
            let dropped = try db.query("""
                DELETE FROM connection_secret WHERE connection_id = \(connectionID)
                AND field = \(ConnectionSecrets.Field.slackSigningSecretPrevious.rawValue) RETURNING field
                """)
            if dropped.first != nil {
                changes.previousSigningSecretDropped = true
                changes.changed.append("previous slack signing secret dropped")
            }
        }
        return changes
    }

    /// `slack_api_url` → `slack api url`: how a changed column or field is named in output and audit.
    private static func label(_ name: String) -> String { String(name.map { $0 == "_" ? " " : $0 }) }

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

    /// The active connection of that name and its Slack signing secrets still sealed (the current one, and the one
    /// being rotated out if any), in one round trip: what the click handler needs before it has verified anything
    /// (it opens a secret only then).
    public func sealedSigningSecrets(connectionName name: String) throws(PostgresError)
        -> (connectionID: Int64, current: String, previous: String?)? {
        guard ConnectionRecord.isValidName(name) else { return nil }
        guard let row = try db.query("""
            SELECT c.id, s.sealed, p.sealed AS previous FROM connection c
            JOIN connection_secret s ON s.connection_id = c.id AND s.field = \(ConnectionSecrets.Field.slackSigningSecret.rawValue)
            LEFT JOIN connection_secret p ON p.connection_id = c.id
                                          AND p.field = \(ConnectionSecrets.Field.slackSigningSecretPrevious.rawValue)
            WHERE c.name = \(name) AND c.removed_at IS NULL
            """).first
        else { return nil }
        return (try row.int64("id"), try row.string("sealed"), try row.optionalString("previous"))
    }
}
