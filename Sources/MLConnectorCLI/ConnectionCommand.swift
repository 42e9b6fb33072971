import ArgumentParser
import Core
import Domain
import Outbound
import Jobs
import FoundationEssentials

struct ConnectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connection", abstract: "Manage connections and their encrypted credentials.",
        discussion: """
            A connection is one F&O environment and one Slack app: their URLs and ids, and their secrets sealed under             MLC_MASTER_KEY. Secrets are read from the environment only and never printed.

            Example: ml-connector connection list
            Example: MLC_SLACK_BOT_TOKEN=xoxb-… ml-connector connection update contoso
            """,
        subcommands: [Add.self, Update.self, List.self, Show.self, Remove.self, Catalog.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a connection.",
            discussion: """
                Secrets are read from MLC_DYNAMICS_CLIENT_SECRET, MLC_SLACK_BOT_TOKEN and MLC_SLACK_SIGNING_SECRET.
                MLC_EVENT_KEY is used as the business-event key if set; otherwise one is generated and printed once.

                Example: ml-connector connection add contoso --dynamics-url https://contoso.operations.dynamics.com \
                --tenant-id 8a1f0c2e-0000-4000-8000-000000000001 --client-id 3c4d5e6f-0000-4000-8000-000000000002
                """)

        @Argument(help: "Connection name (the last path segment of the handler URLs).") var name: String
        @Option(help: "The F&O environment's base URL, e.g. https://contoso.operations.dynamics.com") var dynamicsURL: String
        @Option(help: "Entra ID tenant id.") var tenantID: String
        @Option(help: "Entra ID application (client) id.") var clientID: String
        @Option(help: "Entra ID authority.") var entraAuthority = "https://login.microsoftonline.com"
        @Option(name: .customLong("slack-api-url"), help: "Slack Web API base URL.") var slackAPIURL = "https://slack.com/api"

        func validate() throws {
            guard ConnectionRecord.isValidName(name) else {
                throw ValidationError("connection names are 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
            }
            try checkURLs([("--dynamics-url", dynamicsURL), ("--entra-authority", entraAuthority), ("--slack-api-url", slackAPIURL)])
            guard !tenantID.isEmpty, !clientID.isEmpty else { throw ValidationError("--tenant-id and --client-id must not be empty") }
        }

        func run() throws {
            let context = try CLIContext(KeyedConfiguration.self)
            var secrets: [ConnectionSecrets.Field: String] = [.dynamicsURL: trimmedBaseURL(dynamicsURL)]
            for (variable, field) in [("MLC_DYNAMICS_CLIENT_SECRET", ConnectionSecrets.Field.dynamicsClientSecret),
                                      ("MLC_SLACK_BOT_TOKEN", .slackBotToken), ("MLC_SLACK_SIGNING_SECRET", .slackSigningSecret)] {
                guard let value = context.environment.nonEmpty(variable) else {
                    throw CLIError(ConfigurationError.missing(variable).description, exitCode: .configuration)
                }
                secrets[field] = value
            }
            let presetKey = context.environment.nonEmpty("MLC_EVENT_KEY")
            let eventKey = try presetKey ?? EventKey.generate()
            if let presetKey, presetKey.count < 16 {
                StandardStreams.writeErrorLine("ml-connector: warning: MLC_EVENT_KEY is shorter than 16 characters; a generated key is stronger")
            }
            let db = try context.connect()
            let record: ConnectionRecord
            do {
                record = try ConnectionStore(db).add(
                    name: name, tenantID: tenantID, clientID: clientID, entraAuthority: trimmedBaseURL(entraAuthority),
                    slackAPIURL: trimmedBaseURL(slackAPIURL), eventKeyHash: EventKey.hash(eventKey),
                    secrets: ConnectionSecrets(secrets), box: context.loaded.secretBox)
            } catch let error as PostgresError where error.isUniqueViolation {
                throw CLIError("a connection named \(name) already exists")
            } catch let error as PostgresError {
                throw CLIError(error.operatorDescription)
            }
            print("connection \(record.name) added (id \(record.id))")
            if presetKey == nil {
                print("business-event key (shown once, store it now): \(eventKey)")
                print("F&O endpoint URL: https://<your host>/<handle-business-event path>/\(record.name)?code=\(eventKey)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List connections (no secrets).",
            discussion: """
                A table of name, id, tenant id, client id and when it was added (UTC); --json prints one object per \
                line (name, id, tenant_id, client_id, entra_authority, slack_api_url, created_at). Secrets and the \
                Dynamics URL are stored encrypted and never printed.

                Example: ml-connector connection list --json
                """)
        @Flag(help: "One JSON object per line.") var json = false

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let records = try reporting { try ConnectionStore(db).list() }
            if json {
                for record in records {
                    print(JSONValue.object([
                        "name": .string(record.name), "id": .number(String(record.id)), "tenant_id": .string(record.tenantID),
                        "client_id": .string(record.clientID), "entra_authority": .string(record.entraAuthority),
                        "slack_api_url": .string(record.slackAPIURL), "created_at": .string(record.createdAt),
                    ]).serialized())
                }
                return
            }
            if records.isEmpty { print("no connections"); return }
            var table = TextTable(columns: ["NAME", "ID", "TENANT", "CLIENT", "ADDED"])
            for record in records {
                table.row([record.name, String(record.id), record.tenantID, record.clientID, record.createdAt])
            }
            print(table.render())
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one connection (secrets are never printed).",
            discussion: """
                Names the secrets stored encrypted for it, never their values.

                Example: ml-connector connection show contoso
                """)
        @Argument var name: String

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let record = try context.connection(named: name, in: db)
            let fields = try reporting { try ConnectionStore(db).secretFields(connectionID: record.id) }
            print("""
                name:             \(record.name)
                id:               \(record.id)
                tenant id:        \(record.tenantID)
                client id:        \(record.clientID)
                entra authority:  \(record.entraAuthority)
                slack api url:    \(record.slackAPIURL)
                added:            \(record.createdAt)
                stored encrypted: \(fields.map(\.rawValue).joined(separator: ", "))
                """)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a connection: its secrets are deleted, its events, jobs and audit history are kept.",
            discussion: """
                Running handlers and workers stop serving it within 60 s. Exit status 1 when there is no such connection.

                Example: ml-connector connection remove contoso
                """)
        @Argument var name: String

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let removed = try reporting {
                try db.transaction { db -> Bool in
                    guard let id = try ConnectionStore(db).remove(name: name) else { return false }
                    // The cached access token is sealed like a secret: it goes with them.
                    try AccessTokenStore(db, connectionID: id).forget()
                    try AuditStore(db).record(AuditEntry(action: "connection.remove", connection: name,
                                                         detail: "secrets deleted; events, jobs and audit kept"))
                    return true
                }
            }
            guard removed else { throw CLIError("no connection named \(name)") }
            print("connection \(name) removed")
        }
    }
}

extension ConnectionCommand {
    struct Catalog: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or set a connection's event catalog overrides (DESIGN.md §7).",
            discussion: """
                The overrides use the catalog's own JSON format (see Sources/Common/Domain/Catalog/EventCatalog.swift): entries
                with a standard id replace it, new entries are tried first; "dimensionFormats" and "workflowActions"
                replace the defaults. The document is validated before it is stored (exit status 65 when it is not
                valid, 66 when FILE cannot be read). Without --file or --clear, prints the stored overrides.

                Example: ml-connector connection catalog contoso --file overrides.json
                """)
        @Argument var name: String
        @Option(help: "A JSON file with the overrides ('-' for stdin).") var file: String?
        @Flag(help: "Remove all overrides.") var clear = false

        func validate() throws {
            if file != nil && clear { throw ValidationError("give --file or --clear, not both") }
        }

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let record = try context.connection(named: name, in: db)
            guard file != nil || clear else {
                print(record.catalog.serialized())
                return
            }
            var overrides: JSONValue = .object(JSONObject())
            if let file {
                let bytes: [UInt8]
                if file == "-" {
                    var text = ""
                    while let line = readLine(strippingNewline: false) { text += line }
                    bytes = Array(text.utf8)
                } else {
                    guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)", exitCode: .noInput) }
                    bytes = Array(data)
                }
                do {
                    overrides = try JSONParser.parse(bytes)
                    _ = try EventCatalog.standard.overridden(by: overrides)
                } catch {
                    throw CLIError("the catalog overrides are not valid: \(error)", exitCode: .invalidData)
                }
            }
            try reporting { try ConnectionStore(db).setCatalog(overrides, connectionID: record.id) }
            print(clear ? "catalog overrides of \(record.name) removed" : "catalog overrides of \(record.name) stored")
        }
    }
}

/// Each option's URL against the outbound URL policy (HTTPS; plain http only for loopback).
func checkURLs(_ options: [(String, String?)]) throws {
    for case let (option, url?) in options {
        do {
            try URLPolicy.check(url)
        } catch {
            throw ValidationError("\(option): \(error)")
        }
    }
}

/// A base URL without trailing slashes.
func trimmedBaseURL(_ url: String) -> String {
    var text = Substring(url)
    while text.hasSuffix("/") { text = text.dropLast() }
    return String(text)
}
