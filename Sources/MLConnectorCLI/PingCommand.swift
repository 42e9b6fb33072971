import ArgumentParser
import Core
import Domain
import Outbound
import Jobs
import Metadata
import Logging

struct PingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Check a connection: an Entra ID token, an OData read, Slack auth.test, the catalog against $metadata.")
    @Argument var name: String

    func run() throws {
        let context = try CLIContext(KeyedConfiguration.self)
        let db = try context.connect()
        let record = try context.connection(named: name, in: db)
        let jobs = JobContext(db: db, http: HTTPClient(), box: context.loaded.secretBox,
                              logger: Logger.json(component: "ml-connector", level: context.configuration.logLevel))
        let scope = OutboundCaller.Scope(connection: record.name)
        var failures = 0
        func check(_ label: String, _ body: () throws -> String) {
            do {
                print("ok    \(label): \(try body())")
            } catch let error as PlatformError {
                failures += 1
                print("FAIL  \(label): \(error.message)")
            } catch let error as PostgresError {
                failures += 1
                print("FAIL  \(label): \(error.operatorDescription)")
            } catch {
                failures += 1
                print("FAIL  \(label): \(error)")
            }
        }
        check("F&O (Entra ID token + OData read)") {
            let formats = try jobs.dynamics(connectionID: record.id, scope: scope)
                .collection(ODataQuery(entitySet: "DimensionIntegrationFormats", crossCompany: false))
            return "read \(formats.count) dimension format(s)"
        }
        check("Slack auth.test") {
            let answer = try jobs.slack(connectionID: record.id, scope: scope).call("auth.test", JSONObject(), action: "slack.ping")
            return "team \(answer["team"]?.stringValue ?? "?"), bot user \(answer["user"]?.stringValue ?? "?")"
        }
        // The catalog's names against the environment's own $metadata (`catalog check`).
        var missing: [String] = []
        check("catalog check") {
            let result = try CatalogCommand.check(record, metadata: try CatalogCommand.fetchMetadata(record, db: db, context: context))
            missing = result.lines
            guard result.ok else { throw CLIError(result.summary) }
            return "\(result.checked) names checked, all found"
        }
        for line in missing { print("      \(line)") }
        if failures > 0 { throw ExitCode(1) }
    }
}
