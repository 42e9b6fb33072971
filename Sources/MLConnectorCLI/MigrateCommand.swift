import ArgumentParser
import Core
import Domain
import Outbound
import Jobs

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or update the database schema.",
        discussion: """
            Applies the migrations the database lacks, in order, and prints the schema version; running it again \
            changes nothing. Run it before starting handlers and workers of a new release.

            Example: MLC_DATABASE_URL=postgresql://mlc@db.internal/mlc ml-connector migrate
            """)

    func run() throws {
        let context = try CLIContext(Configuration.self)
        let db = try context.connect()
        let applied = try reporting { try SchemaStore(connection: db).migrate() }
        let all = try reporting { try SchemaStore(connection: db).appliedVersions() }
        if applied.isEmpty {
            print("schema is up to date (version \(all.last ?? 0))")
        } else {
            print("applied migration(s) \(applied.map(String.init).joined(separator: ", ")); schema version \(all.last ?? 0)")
        }
    }
}
