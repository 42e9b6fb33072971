import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation
import Testing

@Suite("schema and PostgreSQL wrapper", .needsDatabase)
struct MigrationTests {
    @Test("migrate is idempotent")
    func migrateTwice() throws {
        let database = try TestDatabase(migrated: false)
        let db = try database.connect()
        let first = try SchemaStore(connection: db).migrate()
        #expect(first == Migration.all.map(\.version))
        #expect(try SchemaStore(connection: db).migrate().isEmpty)
        let cli = try CLI(databaseURL: database.url).run(["migrate"])
        #expect(cli.status == 0)
        #expect(cli.stdoutText.contains("up to date"))
    }

    @Test("two processes migrating at once both succeed and apply each migration once")
    func concurrentMigrate() async throws {
        let database = try TestDatabase(migrated: false)
        let cli = CLI(databaseURL: database.url)
        async let a = Task.detached { try cli.run(["migrate"]) }.value
        async let b = Task.detached { try cli.run(["migrate"]) }.value
        let results = try await [a, b]
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        let rows = try database.connect().query("SELECT count(*) AS n, max(version) AS v FROM schema_migrations").first!
        #expect(try rows.int("n") == Migration.all.count)
    }

    @Test("audit rows cannot be updated, deleted or truncated")
    func auditIsAppendOnly() throws {
        let database = try TestDatabase()
        let db = try database.connect()
        try AuditStore(db).record(AuditEntry(action: "event.received", connection: "default", eventID: "E1", detail: "x"))
        for sql: SQL in ["UPDATE audit_log SET detail = 'changed'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
            #expect {
                try db.query(sql)
            } throws: { error in
                (error as? PostgresError)?.sqlState == "42501"
            }
        }
        let entries = try AuditStore(db).entries(eventID: "E1")
        #expect(entries.count == 1)
        #expect(entries.first?.entry.detail == "x")
    }

    @Test("a unique violation surfaces SQLSTATE 23505 and the constraint, without values")
    func uniqueViolation() throws {
        let database = try TestDatabase()
        let db = try database.connect()
        let hash = Bytea([UInt8](repeating: 1, count: 32))
        let insert: SQL = """
            INSERT INTO connection (name, tenant_id, client_id, entra_authority, slack_api_url, event_key_hash)
            VALUES (\("dup-name"), 't', 'c', 'https://a', 'https://b', \(hash))
            """
        try db.query(insert)
        let error = #expect(throws: PostgresError.self) { try db.query(insert) }
        #expect(error?.sqlState == "23505")
        #expect(error?.isUniqueViolation == true)
        #expect(error?.constraint == "connection_name_idx")
        #expect(error?.description.contains("dup-name") == false)
    }

    @Test("a transaction that throws is rolled back")
    func rollback() throws {
        let database = try TestDatabase()
        let db = try database.connect()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction { db in
                try AuditStore(db).record(AuditEntry(action: "x"))
                throw Boom()
            }
        }
        #expect(try db.query("SELECT count(*) AS n FROM audit_log").first!.int("n") == 0)
    }

    @Test("typed values round-trip through parameters")
    func parameters() throws {
        let database = try TestDatabase()
        let db = try database.connect()
        let text = "it's \"quoted\"; DROP TABLE x", decimal = Decimal(string: "12345678901234567.89")!
        let row = try db.query("""
            SELECT \(text)::text AS s, \(Int64.min)::bigint AS i, \(decimal)::numeric AS d, \(true)::boolean AS b,
                   \(Bytea([0, 255, 16]))::bytea AS y, \(String?.none)::text AS n, \(["a\"b", "c\\d"])::text[] AS a,
                   (\(["a\"b", "c\\d"])::text[])[1] AS a1
            """).first!
        #expect(try row.string("s") == "it's \"quoted\"; DROP TABLE x")
        #expect(try row.int64("i") == Int64.min)
        #expect(try row.optionalDecimal("d") == Decimal(string: "12345678901234567.89"))
        #expect(try row.bool("b"))
        #expect(try row.bytes("y") == [0, 255, 16])
        #expect(try row.optionalString("n") == nil)
        #expect(try row.string("a") == #"{"a\"b","c\\d"}"#)
        #expect(try row.string("a1") == "a\"b")
        #expect(throws: PostgresError.self) { try row.int64("s") }
    }

    @Test("a wrong database URL gives a clear error, never the password")
    func wrongURL() throws {
        for url in ["postgresql:///nosuchdb?host=/nonexistent-dir&password=hunter2-secret",
                    "host=/nonexistent-dir dbname=x password=hunter2-secret connect_timeout=2",
                    "postgresql://user:hunter2-secret@[::1]:1/db?connect_timeout=2",
                    "postgresql://%zz", "not a url = = ="] {
            do {
                _ = try PostgresConnection(url: url)
                Issue.record("connected with \(url)")
            } catch {
                #expect(error.kind == .connection)
                #expect(error.description == "could not connect to PostgreSQL")
                #expect(!error.operatorDescription.contains("hunter2-secret"), "\(error.operatorDescription)")
                #expect(!error.serverMessage.isEmpty)
            }
        }
        let cli = try CLI(databaseURL: "postgresql:///x?host=/nonexistent-dir&password=hunter2-secret").run(["migrate"])
        #expect(cli.status == 69, "EX_UNAVAILABLE: PostgreSQL cannot be reached")
        #expect(cli.stderr.contains("could not connect to PostgreSQL"))
        #expect(!cli.stderr.contains("hunter2-secret"))
    }
}
