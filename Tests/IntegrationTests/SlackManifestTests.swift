import Core
import Foundation
import Testing

/// `ml-connector slack manifest` (DESIGN.md §6.2) checked against Slack's documented manifest rules: the keys Slack
/// knows, `display_information.name` required and at most 35 characters, a bot user's `display_name` at most 80
/// characters of `a-z 0-9 - _ .`, bot scopes an array of at most 255 strings, request URLs in full and https.
@Suite("ml-connector slack manifest", .needsDatabase)
struct SlackManifestTests {
    static let url = "https://mlc.example.com/api/slack/contoso"
    static let scopes = ["chat:write", "im:write", "users:read", "users:read.email", "channels:history", "groups:history",
                         "im:history"]

    private static func manifest(_ cli: CLI, _ arguments: [String]) throws -> JSONValue {
        let result = try cli.run(["slack", "manifest"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONParser.parse(result.stdout)
    }

    private static func keys(_ value: JSONValue?) -> Set<String> {
        Set(value?.objectValue?.map(\.key) ?? [])
    }

    /// Every rule of Slack's manifest reference that this manifest touches.
    private static func checkSlackRules(_ manifest: JSONValue) {
        #expect(keys(manifest).isSubset(of: ["_metadata", "display_information", "features", "oauth_config", "settings",
                                             "functions", "workflows", "outgoing_domains", "app_directory"]))
        #expect(manifest["_metadata"]?["major_version"]?.int64Value == 1)
        let name = manifest["display_information"]?["name"]?.stringValue ?? ""
        #expect((1...35).contains(name.count), "display_information.name is required, at most 35 characters: \(name)")
        #expect((manifest["display_information"]?["description"]?.stringValue?.count ?? 0) <= 140)
        #expect(manifest["display_information"]?["long_description"] == nil, "when given, it needs 174 to 4000 characters")
        let bot = manifest["features"]?["bot_user"]
        let display = bot?["display_name"]?.stringValue ?? ""
        #expect((1...80).contains(display.count) && display.wholeMatch(of: /[a-z0-9._-]+/) != nil)
        if let online = bot?["always_online"] { #expect(online.boolValue != nil) }
        for flag in ["home_tab_enabled", "messages_tab_enabled", "messages_tab_read_only_enabled"] {
            #expect(manifest["features"]?["app_home"]?[flag]?.boolValue != nil, "\(flag) is a boolean")
        }
        let scopes = manifest["oauth_config"]?["scopes"]?["bot"]?.arrayValue ?? []
        #expect((1...255).contains(scopes.count) && scopes.allSatisfy { $0.stringValue != nil })
        let settings = manifest["settings"]
        #expect(keys(settings).isSubset(of: ["allowed_ip_address_ranges", "event_subscriptions", "incoming_webhooks",
                                             "interactivity", "org_deploy_enabled", "socket_mode_enabled",
                                             "token_rotation_enabled", "is_hosted", "function_runtime"]))
        #expect(settings?["interactivity"]?["is_enabled"] == .bool(true), "is_enabled is required in interactivity")
        #expect(settings?["interactivity"]?["request_url"]?.stringValue?.hasPrefix("https://") == true)
        #expect(settings?["socket_mode_enabled"] == .bool(false), "Socket Mode would bypass the request URLs")
        #expect(settings?["org_deploy_enabled"] == .bool(false) && settings?["token_rotation_enabled"] == .bool(false))
        if let events = settings?["event_subscriptions"] {
            #expect(events["request_url"]?.stringValue?.hasPrefix("https://") == true)
            let botEvents = events["bot_events"]?.arrayValue ?? []
            #expect(botEvents.count <= 100 && botEvents.allSatisfy { $0.stringValue?.wholeMatch(of: /[a-z_.]+/) != nil })
        }
    }

    @Test("interactivity at the request URL, the bot scopes the product uses, no event subscription without --events-url")
    func interactivityOnly() throws {
        let database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("contoso").status == 0)
        let result = try cli.run(["slack", "manifest", "contoso", "--request-url", Self.url])
        let manifest = try JSONParser.parse(result.stdout)
        Self.checkSlackRules(manifest)
        #expect(manifest["display_information"]?["name"] == "ml-connector contoso")
        #expect(manifest["settings"]?["interactivity"]?["request_url"]?.stringValue == Self.url)
        #expect(manifest["oauth_config"]?["scopes"]?["bot"]?.arrayValue?.compactMap(\.stringValue) == Self.scopes)
        #expect(manifest["settings"]?["event_subscriptions"] == nil)
        #expect(result.stderr.contains("connection update contoso"), "what to do next goes to stderr, stdout is the JSON")
        for secret in CLI.secrets.values { #expect(!result.stdoutText.contains(secret) && !result.stderr.contains(secret)) }
    }

    @Test("--events-url adds the Events API subscription; a long connection name still gives a name of 35 characters")
    func events() throws {
        let database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        let long = String(repeating: "northwind-", count: 6) + "1234"
        #expect(try cli.addConnection(long).status == 0)
        let url = "https://mlc.example.com/slack/\(long)"
        let manifest = try Self.manifest(cli, [long, "--request-url", url, "--events-url", url + "?source=events"])
        Self.checkSlackRules(manifest)
        #expect(manifest["display_information"]?["name"]?.stringValue?.count == 35)
        let events = try #require(manifest["settings"]?["event_subscriptions"])
        #expect(events["request_url"]?.stringValue == url + "?source=events")
        #expect(events["bot_events"]?.arrayValue?.compactMap(\.stringValue) == ["app_home_opened", "app_uninstalled", "tokens_revoked"])
        #expect(manifest["features"]?["app_home"]?["home_tab_enabled"] == .bool(true), "My approvals needs app_home_opened")
    }

    @Test("URLs that Slack or the handler cannot use are refused with 64, nothing printed; a connection not added yet gets its manifest and a note")
    func refused() throws {
        let database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("contoso").status == 0)
        let bad = ["http://mlc.example.com/slack/contoso", "https://mlc.example.com/slack/other",
                   "https://mlc.example.com/slack/contoso/", "https://user:pw@mlc.example.com/slack/contoso",
                   "https://mlc.example.com/slack/contoso#x", "mlc.example.com/slack/contoso", "https:///slack/contoso"]
        for url in bad {
            let result = try cli.run(["slack", "manifest", "contoso", "--request-url", url])
            #expect(result.status == 64 && result.stdout.isEmpty, "\(url): \(result.status)")
            let events = try cli.run(["slack", "manifest", "contoso", "--request-url", Self.url, "--events-url", url])
            #expect(events.status == 64 && events.stdout.isEmpty, "--events-url \(url): \(events.status)")
        }
        let https = try cli.run(["slack", "manifest", "contoso", "--request-url", "http://mlc.example.com/slack/contoso"])
        #expect(https.stderr.contains("must use https"))
        let segment = try cli.run(["slack", "manifest", "contoso", "--request-url", "https://mlc.example.com/slack/other"])
        #expect(segment.stderr.contains("must end with /contoso"))
        let unknown = try cli.run(["slack", "manifest", "nobody", "--request-url", "https://mlc.example.com/slack/nobody"])
        // The Slack app comes first (its bot token and signing secret are what `connection add` stores).
        #expect(unknown.status == 0 && unknown.stdoutText.contains("\"request_url\": \"https://mlc.example.com/slack/nobody\""))
        #expect(unknown.stderr.contains("no connection named nobody yet") && unknown.stderr.contains("ml-connector connection add nobody"))
    }
}
