import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation

/// A database of its own for one test, created from a migrated template (or empty, for migration tests),
/// dropped when the test is done.
final class TestDatabase: @unchecked Sendable {
    let name: String
    let url: String

    private struct NoDatabase: Error, CustomStringConvertible {
        var description: String { "\(TestEnvironment.missingDatabase)" }
    }

    private static func adminURL() throws -> String {
        guard let url = TestEnvironment.databaseURL else { throw NoDatabase() }
        return url
    }

    private static let templateReady: Result<Void, any Error> = Result {
        let admin = try PostgresConnection(url: try adminURL())
        try admin.execute("DROP DATABASE IF EXISTS mlc_template")
        try admin.execute("CREATE DATABASE mlc_template")
        let template = try PostgresConnection(url: databaseURL(try adminURL(), database: "mlc_template"))
        try SchemaStore(connection: template).migrate()
    }

    /// A fresh database; `migrated: false` gives an empty one.
    init(migrated: Bool = true) throws {
        name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let adminURL = try Self.adminURL()
        url = databaseURL(adminURL, database: name)
        let admin = try PostgresConnection(url: adminURL)
        if migrated {
            try Self.templateReady.get()
            try admin.execute("CREATE DATABASE \(name) TEMPLATE mlc_template")
        } else {
            try admin.execute("CREATE DATABASE \(name)")
        }
    }

    func connect() throws -> PostgresConnection { try PostgresConnection(url: url) }

    deinit {
        if let adminURL = TestEnvironment.databaseURL, let admin = try? PostgresConnection(url: adminURL) {
            try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }
}
