import ArgumentParser
import Core
import Domain
import FoundationEssentials

/// `slack manifest` (DESIGN.md §6.2): the Slack app a connection needs, as a manifest to paste into Slack's
/// "Create New App → From a manifest" (or `apps.manifest.create`).
struct SlackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slack", abstract: "Set up the Slack app of a connection.",
        discussion: """
            Example: ml-connector slack manifest contoso --request-url https://mlc.example.com/slack/contoso
            """,
        subcommands: [Manifest.self])

    /// Bot scopes, each with what it is for (short: `--help` lists them one a line).
    static let botScopes: [(scope: String, why: String)] = [
        ("chat:write", "post and update cards and explanations"),
        ("im:write", "open the direct message to an approver"),
        ("users:read", "with users:read.email, find people by email"),
        ("users:read.email", "users.lookupByEmail for F&O addresses"),
        ("channels:history", "public channels (history, below)"),
        ("groups:history", "private channels (history, below)"),
        ("im:history", "direct messages (history, below)"),
    ]

    /// Events the app subscribes to with `--events-url`, none needing a scope: `app_home_opened` publishes the
    /// person's "My approvals" Home tab; `app_uninstalled` and `tokens_revoked` are audited, telling the operator why
    /// posts then fail with `token_revoked` or `account_inactive`.
    static let botEvents = ["app_home_opened", "app_uninstalled", "tokens_revoked"]

    struct Manifest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a Slack app manifest (JSON) for this connection.",
            discussion: """
                The manifest names the app "ml-connector NAME", gives it a bot user and turns interactivity on with \
                --request-url: the public https URL of handle-slack-interaction (or ml-connector-server's \
                …/slack/NAME) for this connection, whose last path segment must be the connection name. With \
                --events-url (usually the same URL) it also subscribes to the Events API and turns the Home tab \
                on: app_home_opened publishes the person's open approvals ("My approvals"); app_uninstalled and \
                tokens_revoked are audited as interaction.received, so the audit shows when the app lost its token. \
                Slack verifies that URL with a url_verification request, which the \
                handler answers. Socket Mode, org-wide deployment and token rotation stay off (the connection \
                keeps one bot token).

                Bot scopes:
                \(botScopes.map { "  \($0.scope): \($0.why)" }.joined(separator: "\n"))
                History: a post whose answer was lost looks for its own earlier message (conversations.history) \
                instead of posting twice; without these scopes it posts again and says so in the audit.

                Paste the output at api.slack.com/apps (Create New App, From a manifest), install the app, then \
                store its Bot User OAuth Token and Signing Secret with `ml-connector connection update NAME` \
                (MLC_SLACK_BOT_TOKEN, MLC_SLACK_SIGNING_SECRET). Exit status 64 for a URL that is not https or \
                does not end with /NAME. The connection need not exist yet (the app's credentials are what \
                `connection add` stores); then a note says so.

                Example: ml-connector slack manifest contoso --request-url https://mlc.example.com/slack/contoso
                Example: ml-connector slack manifest contoso --request-url https://mlc.example.com/slack/contoso \
                --events-url https://mlc.example.com/slack/contoso > manifest.json
                """)
        @Argument(help: "Connection name.") var name: String
        @Option(name: .customLong("request-url"), help: "Interactivity request URL (https, ending with /NAME).") var requestURL: String
        @Option(name: .customLong("events-url"), help: "Events API request URL (https, ending with /NAME).") var eventsURL: String?

        func validate() throws {
            guard ConnectionRecord.isValidName(name) else { throw ValidationError("\(name) is not a connection name") }
            try SlackCommand.checkRequestURL(requestURL, option: "--request-url", connection: name)
            if let eventsURL { try SlackCommand.checkRequestURL(eventsURL, option: "--events-url", connection: name) }
        }

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let known = try reporting { try ConnectionStore(db).find(name: name) } != nil
            print(CatalogText.prettyJSON(SlackCommand.manifest(connection: name, requestURL: requestURL, eventsURL: eventsURL)))
            // The app usually comes first: its bot token and signing secret are what `connection add` stores.
            StandardStreams.writeErrorLine(known
                ? "ml-connector: create the app from this manifest at api.slack.com/apps, install it, then store its bot token "
                    + "and signing secret with `ml-connector connection update \(name)`"
                : "ml-connector: no connection named \(name) yet: create the app from this manifest at api.slack.com/apps, "
                    + "install it, then `ml-connector connection add \(name) …` with its bot token and signing secret")
        }
    }
}

extension SlackCommand {
    /// Slack sends interactivity and Events API requests only to public `https` URLs; the handlers take the connection
    /// from the last path segment (DESIGN.md §5).
    static func checkRequestURL(_ url: String, option: String, connection: String) throws(ValidationError) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), let host = parts.host,
              !host.isEmpty, parts.user == nil, parts.password == nil, parts.fragment == nil
        else { throw ValidationError("\(option) must be an absolute https URL such as https://mlc.example.com/slack/\(connection)") }
        guard scheme == "https" else {
            throw ValidationError("\(option) must use https: Slack sends requests only to https URLs")
        }
        guard parts.path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) == connection else {
            throw ValidationError("\(option) must end with /\(connection): the handler takes the connection from the last path segment")
        }
    }

    /// The manifest (Slack's app manifest reference: `display_information.name` ≤ 35 characters, a bot user's
    /// `display_name` ≤ 80 of lower-case letters, digits, `-`, `_` and `.`; request URLs in full, https).
    static func manifest(connection: String, requestURL: String, eventsURL: String?) -> JSONValue {
        var settings: JSONObject = [
            "interactivity": .object(["is_enabled": .bool(true), "request_url": .string(requestURL)]),
            "org_deploy_enabled": .bool(false),
            "socket_mode_enabled": .bool(false),
            "token_rotation_enabled": .bool(false),
        ]
        if let eventsURL {
            settings["event_subscriptions"] = .object([
                "request_url": .string(eventsURL), "bot_events": .array(botEvents.map(JSONValue.string)),
            ])
        }
        return .object([
            "_metadata": .object(["major_version": .number("1"), "minor_version": .number("1")]),
            "display_information": .object([
                "name": .string(String("ml-connector \(connection)".prefix(35))),
                "description": .string("Dynamics 365 F&O notices and approvals (ml-connector connection \(connection))"),
            ]),
            "features": .object([
                "app_home": .object([
                    // The Home tab is published on app_home_opened, which needs the event subscription.
                    "home_tab_enabled": .bool(eventsURL != nil), "messages_tab_enabled": .bool(true),
                    "messages_tab_read_only_enabled": .bool(true),
                ]),
                "bot_user": .object(["display_name": .string("ml-connector"), "always_online": .bool(true)]),
            ]),
            "oauth_config": .object(["scopes": .object(["bot": .array(botScopes.map { .string($0.scope) })])]),
            "settings": .object(settings),
        ])
    }
}
