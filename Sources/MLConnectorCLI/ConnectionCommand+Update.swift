import ArgumentParser
import Core
import Domain
import Outbound

extension ConnectionCommand {
    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a connection's settings or credentials; rotate the Slack signing secret.",
            discussion: """
                Options change public settings. Secrets come only from the environment: whichever of \
                MLC_DYNAMICS_CLIENT_SECRET, MLC_SLACK_BOT_TOKEN, MLC_SLACK_SIGNING_SECRET and MLC_EVENT_KEY are set \
                replace the stored value (an unset or empty variable leaves it). A new signing secret is accepted at \
                once and the previous one stays accepted until --drop-previous-signing-secret, so Slack's secret can \
                be rotated without a failed click. Handlers read every change on their next request; running workers \
                and ml-connector-server pick it up within 60 s. A changed F&O credential drops the cached Entra ID \
                token. Each update is audited (connection.update, the names of what changed, never a value).

                Example: MLC_DYNAMICS_CLIENT_SECRET=<new secret> ml-connector connection update contoso

                Rotating Slack's signing secret:
                  1. Slack app settings → Basic Information → App Credentials → Regenerate the signing secret
                  2. MLC_SLACK_SIGNING_SECRET=<new secret> ml-connector connection update contoso
                  3. once clicks work (Slack signs with the new secret only):
                     ml-connector connection update contoso --drop-previous-signing-secret
                """)

        @Argument(help: "Connection name.") var name: String
        @Option(help: "The F&O environment's base URL.") var dynamicsURL: String?
        @Option(help: "Entra ID tenant id.") var tenantID: String?
        @Option(help: "Entra ID application (client) id.") var clientID: String?
        @Option(help: "Entra ID authority.") var entraAuthority: String?
        @Option(name: .customLong("slack-api-url"), help: "Slack Web API base URL.") var slackAPIURL: String?
        @Flag(help: "Stop accepting the signing secret that was replaced (after Slack uses the new one).")
        var dropPreviousSigningSecret = false

        func validate() throws {
            try checkURLs([("--dynamics-url", dynamicsURL), ("--entra-authority", entraAuthority), ("--slack-api-url", slackAPIURL)])
            if tenantID?.isEmpty == true || clientID?.isEmpty == true { throw ValidationError("--tenant-id and --client-id must not be empty") }
        }

        func run() throws {
            let context = try CLIContext(KeyedConfiguration.self)
            var update = ConnectionUpdate()
            update.tenantID = tenantID
            update.clientID = clientID
            update.entraAuthority = entraAuthority.map(trimmedBaseURL)
            update.slackAPIURL = slackAPIURL.map(trimmedBaseURL)
            update.secrets[.dynamicsURL] = dynamicsURL.map(trimmedBaseURL)
            update.secrets[.dynamicsClientSecret] = context.environment.nonEmpty("MLC_DYNAMICS_CLIENT_SECRET")
            update.secrets[.slackBotToken] = context.environment.nonEmpty("MLC_SLACK_BOT_TOKEN")
            update.signingSecret = context.environment.nonEmpty("MLC_SLACK_SIGNING_SECRET")
            update.eventKeyHash = context.environment.nonEmpty("MLC_EVENT_KEY").map(EventKey.hash)
            update.dropPreviousSigningSecret = dropPreviousSigningSecret
            guard !update.isEmpty else {
                throw CLIError("nothing to update: give an option, or set one of MLC_DYNAMICS_CLIENT_SECRET, MLC_SLACK_BOT_TOKEN, "
                               + "MLC_SLACK_SIGNING_SECRET, MLC_EVENT_KEY", exitCode: .validationFailure)
            }
            let db = try context.connect()
            let record = try context.connection(named: name, in: db)
            let changes = try reporting {
                try db.transaction { db in
                    let changes = try ConnectionStore(db).update(connectionID: record.id, update, box: context.loaded.secretBox)
                    if update.invalidatesAccessToken { try AccessTokenStore(db, connectionID: record.id).forget() }
                    if !changes.changed.isEmpty {
                        try AuditStore(db).record(AuditEntry(action: "connection.update", connection: record.name, detail: changes.summary))
                    }
                    return changes
                }
            }
            print("connection \(record.name): \(changes.summary)")
            if changes.signingSecretRotated {
                print("the previous signing secret is still accepted; once Slack signs with the new one:")
                print("  ml-connector connection update \(record.name) --drop-previous-signing-secret")
            }
            if dropPreviousSigningSecret && !changes.previousSigningSecretDropped {
                print("there was no previous signing secret to drop")
            }
            if !changes.changed.isEmpty { print("handlers see the change now; running workers and servers within 60 s") }
        }
    }
}
