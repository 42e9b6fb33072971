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
        abstract: "Check a connection: an Entra ID token, an OData read, Slack auth.test, the catalog against $metadata.",
        discussion: """
            Prints one line per check, `ok` or `FAIL` with the check's name and result; a failure is followed by a \
            hint naming what to fix (an Entra AADSTS code's meaning, the F&O page where the client id is registered, \
            the Slack scope missing). The OData read and the catalog check need the token, so they are skipped when \
            it fails. Every call is audited like a job's. Exit status 0 when every check passed, 1 when any failed.

            Example: ml-connector ping contoso
            """)
    @Argument(help: "Connection name.") var name: String

    func run() throws {
        let context = try CLIContext(KeyedConfiguration.self)
        let db = try context.connect()
        let record = try context.connection(named: name, in: db)
        let jobs = JobContext(db: db, http: HTTPClient(), box: context.loaded.secretBox,
                              logger: Logger.json(component: "ml-connector", level: context.configuration.logLevel))
        let scope = OutboundCaller.Scope(connection: record.name)
        var failed: Set<PingHint.Check> = []
        func check(_ name: PingHint.Check, needs: PingHint.Check? = nil, _ body: () throws -> String) {
            if let needs, failed.contains(needs) {
                failed.insert(name)
                print("skip  \(name.rawValue): needs the \(needs.rawValue)")
                return
            }
            do {
                print("ok    \(name.rawValue): \(try body())")
            } catch {
                failed.insert(name)
                print("FAIL  \(name.rawValue): \(Self.message(error))")
                if let hint = PingHint.hint(name, error) { print("      hint: \(hint)") }
            }
        }
        check(.entra) {
            let connection = try jobs.connection(record.id)
            guard let url = connection.secrets[.dynamicsURL], let secret = connection.secrets[.dynamicsClientSecret] else {
                throw CLIError("the F&O URL or client secret is not stored")
            }
            _ = try AccessTokenProvider(db: db, box: context.loaded.secretBox, caller: jobs.caller(scope), connection: record,
                                        dynamicsURL: url, clientSecret: secret).token()
            return "a token for client \(record.clientID) in tenant \(record.tenantID)"
        }
        check(.odata, needs: .entra) {
            let formats = try jobs.dynamics(connectionID: record.id, scope: scope)
                .collection(ODataQuery(entitySet: "DimensionIntegrationFormats", crossCompany: false))
            return "read \(formats.count) dimension format(s)"
        }
        check(.slack) {
            let answer = try jobs.slack(connectionID: record.id, scope: scope).call("auth.test", JSONObject(), action: "slack.ping")
            return "team \(answer["team"]?.stringValue ?? "?"), bot user \(answer["user"]?.stringValue ?? "?")"
        }
        // The catalog's names against the environment's own $metadata (`catalog check`).
        var missing: [String] = []
        check(.catalog, needs: .entra) {
            let result = try CatalogCommand.check(record, metadata: try CatalogCommand.fetchMetadata(record, db: db, context: context))
            missing = result.lines
            guard result.ok else { throw PingHint.CatalogNamesMissing(description: result.summary) }
            return "\(result.checked) names checked, all found"
        }
        for line in missing { print("      \(line)") }
        if !failed.isEmpty { throw ExitCode(1) }
    }

    private static func message(_ error: any Error) -> String {
        switch error {
        case let error as PlatformError: error.message
        case let error as PostgresError: error.operatorDescription
        default: "\(error)"
        }
    }
}
