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

    private static let templateReady: Result<Void, any Error> = Result {
        let admin = try PostgresConnection(url: TestEnvironment.databaseURL)
        try admin.execute("DROP DATABASE IF EXISTS mlc_template")
        try admin.execute("CREATE DATABASE mlc_template")
        let template = try PostgresConnection(url: databaseURL(TestEnvironment.databaseURL, database: "mlc_template"))
        try SchemaStore(connection: template).migrate()
    }

    /// A fresh database; `migrated: false` gives an empty one.
    init(migrated: Bool = true) throws {
        name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        url = databaseURL(TestEnvironment.databaseURL, database: name)
        let admin = try PostgresConnection(url: TestEnvironment.databaseURL)
        if migrated {
            try Self.templateReady.get()
            try admin.execute("CREATE DATABASE \(name) TEMPLATE mlc_template")
        } else {
            try admin.execute("CREATE DATABASE \(name)")
        }
    }

    func connect() throws -> PostgresConnection { try PostgresConnection(url: url) }

    deinit {
        if let admin = try? PostgresConnection(url: TestEnvironment.databaseURL) {
            try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }
}
