/// The schema and its history (`schema_migrations`): applies `Migration.all` in order under a session advisory lock, recording each in `schema_migrations`.
/// Idempotent, and safe when several processes migrate at once: the lock serialises them and the second
/// finds nothing left to do.
public struct SchemaStore {
    /// Advisory lock key: the first 8 bytes of "mlc-migr" as a big-endian integer.
    static let lockKey: Int64 = 0x6d6c_632d_6d69_6772

    private let connection: PostgresConnection
    private let migrations: [Migration]

    public init(connection: PostgresConnection, migrations: [Migration] = Migration.all) {
        self.connection = connection
        self.migrations = migrations
    }

    /// Applies what is missing; returns the versions applied by this call.
    @discardableResult
    public func migrate() throws -> [Int] {
        try connection.query("SELECT pg_advisory_lock(\(Self.lockKey))")
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))") }
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let done = Set(try connection.query("SELECT version FROM schema_migrations").rows.map { row throws(PostgresError) in
            try row.int("version")
        })
        var applied: [Int] = []
        for migration in migrations where !done.contains(migration.version) {
            try connection.transaction { db in
                try db.execute(migration.sql)
                try db.query("INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
            }
            applied.append(migration.version)
        }
        return applied
    }

    /// Versions recorded as applied.
    public func appliedVersions() throws(PostgresError) -> [Int] {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try exists.first?.bool("present") == true else { return [] }
        return try connection.query("SELECT version FROM schema_migrations ORDER BY version").rows.map { row throws(PostgresError) in
            try row.int("version")
        }
    }
}
