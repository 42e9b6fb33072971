import ArgumentParser
import Common

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or update the database schema.")

    func run() throws {
        let context = try CLIContext()
        let db = context.connect()
        let applied = reporting { try Migrator(connection: db).migrate() }
        let all = reporting { try Migrator(connection: db).appliedVersions() }
        if applied.isEmpty {
            print("schema is up to date (version \(all.last ?? 0))")
        } else {
            print("applied migration(s) \(applied.map(String.init).joined(separator: ", ")); schema version \(all.last ?? 0)")
        }
    }
}
