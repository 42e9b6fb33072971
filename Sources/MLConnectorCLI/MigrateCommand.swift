import ArgumentParser
import Core
import Domain
import Outbound
import Jobs

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or update the database schema.")

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
