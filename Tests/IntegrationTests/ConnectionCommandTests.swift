import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation
import Testing

@Suite("ml-connector connection", .needsDatabase)
struct ConnectionCommandTests {
    let database: TestDatabase
    let cli: CLI

    init() throws {
        database = try TestDatabase()
        cli = CLI(databaseURL: database.url)
    }

    @Test("add stores secrets sealed, prints a generated key once, and never prints a secret")
    func addGeneratesKey() throws {
        let added = try cli.addConnection("contoso", eventKey: nil, dynamicsURL: "https://contoso.operations.dynamics.com/")
        #expect(added.status == 0, "\(added.stderr)")
        let keyLine = try #require(added.stdoutText.split(separator: "\n").first { $0.contains("business-event key") })
        let key = String(keyLine.split(separator: " ").last!)
        #expect(key.count == 43)

        let db = try database.connect()
        let stored = try db.query("SELECT event_key_hash FROM connection WHERE name = 'contoso'").first!.bytes("event_key_hash")
        #expect(stored == EventKey.hash(key))

        // Every secret sealed, bound to its row and field, and none in plaintext anywhere in the tables.
        let sealed = try db.query("SELECT field, sealed FROM connection_secret ORDER BY field").rows
        #expect(sealed.count == 4)
        let dump = try db.query("SELECT string_agg(t::text, ' ') AS all_rows FROM (SELECT * FROM connection_secret) t").first!
            .string("all_rows") + (try db.query("SELECT string_agg(c::text, ' ') AS r FROM connection c").first!.string("r"))
        for secret in Array(CLI.secrets.values) + ["contoso.operations.dynamics.com", key] {
            #expect(!dump.contains(secret))
        }
        let box = SecretBox(keys: MasterKeys(current: MasterKey(base64: TestEnvironment.masterKey)!))
        let record = try #require(try ConnectionStore(db).find(name: "contoso"))
        let opened = try ConnectionStore(db).secrets(connectionID: record.id, fields: [.slackBotToken, .dynamicsURL], box: box)
        #expect(opened[.slackBotToken] == CLI.secrets["MLC_SLACK_BOT_TOKEN"])
        #expect(opened[.dynamicsURL] == "https://contoso.operations.dynamics.com")
        #expect(opened[.slackSigningSecret] == nil, "only the requested fields are opened")

        // A sealed value moved to another field does not open.
        try db.query("""
            UPDATE connection_secret SET sealed = (SELECT sealed FROM connection_secret WHERE field = 'slack_bot_token')
            WHERE field = 'slack_signing_secret'
            """)
        #expect(throws: CryptoError.authenticationFailed) {
            try ConnectionStore(db).secrets(connectionID: record.id, fields: [.slackSigningSecret], box: box)
        }

        for args in [["connection", "show", "contoso"], ["connection", "list"]] {
            let out = try cli.run(args)
            #expect(out.status == 0)
            for secret in Array(CLI.secrets.values) + [key, "contoso.operations.dynamics.com"] {
                #expect(!out.stdoutText.contains(secret) && !out.stderr.contains(secret))
            }
        }
        #expect(try cli.run(["connection", "show", "contoso"]).stdoutText.contains("slack_bot_token"))
        for secret in CLI.secrets.values { #expect(!added.stdoutText.contains(secret) && !added.stderr.contains(secret)) }
    }

    @Test("a preset MLC_EVENT_KEY is used and not printed")
    func presetKey() throws {
        let added = try cli.addConnection("preset", eventKey: "preset-key-abcdefghijkl")
        #expect(added.status == 0)
        #expect(!added.stdoutText.contains("preset-key-abcdefghijkl"))
        let hash = try database.connect().query("SELECT event_key_hash FROM connection WHERE name = 'preset'").first!.bytes("event_key_hash")
        #expect(hash == EventKey.hash("preset-key-abcdefghijkl"))
    }

    @Test("missing secrets, bad names, insecure URLs and duplicates are refused clearly")
    func refusals() throws {
        var env = CLI.secrets
        env["MLC_SLACK_BOT_TOKEN"] = nil
        let missing = try cli.run(["connection", "add", "x", "--dynamics-url", "https://a.example", "--tenant-id", "t",
                                   "--client-id", "c"], environment: env)
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("MLC_SLACK_BOT_TOKEN"))

        let noKey = try cli.run(["connection", "add", "x", "--dynamics-url", "https://a.example", "--tenant-id", "t",
                                 "--client-id", "c"], environment: CLI.secrets.merging(["MLC_MASTER_KEY": "c2hvcnQ="]) { $1 })
        #expect(noKey.status == 78)
        #expect(noKey.stderr.contains("MLC_MASTER_KEY"))
        #expect(!noKey.stderr.contains("c2hvcnQ="))

        let insecure = try cli.run(["connection", "add", "x", "--dynamics-url", "http://contoso.example", "--tenant-id", "t",
                                    "--client-id", "c"], environment: CLI.secrets)
        #expect(insecure.status != 0)
        #expect(insecure.stderr.contains("--dynamics-url"))

        let badName = try cli.run(["connection", "add", "bad name/x", "--dynamics-url", "https://a.example", "--tenant-id", "t",
                                   "--client-id", "c"], environment: CLI.secrets)
        #expect(badName.status != 0)

        #expect(try cli.addConnection("twice").status == 0)
        let again = try cli.addConnection("twice")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
    }

    @Test("remove deletes the secrets, keeps history, frees the name")
    func remove() throws {
        #expect(try cli.addConnection("gone").status == 0)
        #expect(try cli.run(["connection", "remove", "gone"]).status == 0)
        let db = try database.connect()
        #expect(try db.query("SELECT count(*) AS n FROM connection_secret").first!.int("n") == 0)
        #expect(try db.query("SELECT count(*) AS n FROM connection").first!.int("n") == 1)
        #expect(try cli.run(["connection", "show", "gone"]).status == 1)
        #expect(try cli.run(["connection", "remove", "gone"]).status == 1)
        #expect(try cli.addConnection("gone").status == 0)
    }

    @Test("keys rotate re-seals every secret under the new key")
    func rotate() throws {
        #expect(try cli.addConnection("rot").status == 0)
        let newKey = Data((0..<32).map { UInt8(255 - $0) }).base64EncodedString()
        let rotated = try cli.run(["keys", "rotate"], environment: ["MLC_MASTER_KEY": newKey,
                                                                   "MLC_MASTER_KEY_PREVIOUS": TestEnvironment.masterKey])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdoutText.contains("re-encrypted 4"))
        let db = try database.connect()
        let box = SecretBox(keys: MasterKeys(current: MasterKey(base64: newKey)!))
        let record = try #require(try ConnectionStore(db).find(name: "rot"))
        #expect(try ConnectionStore(db).secrets(connectionID: record.id, fields: [.slackBotToken], box: box)[.slackBotToken]
                == CLI.secrets["MLC_SLACK_BOT_TOKEN"])
        let oldOnly = SecretBox(keys: MasterKeys(current: MasterKey(base64: TestEnvironment.masterKey)!))
        #expect(throws: CryptoError.unknownKey) {
            try ConnectionStore(db).secrets(connectionID: record.id, fields: [.slackBotToken], box: oldOnly)
        }
    }

    @Test("routes are listed in the order added and removed by id")
    func routes() throws {
        #expect(try cli.addConnection("r").status == 0)
        #expect(try cli.run(["route", "add", "r", "--event", "Workflow_*_WorkItem", "--approver", "--fallback-channel", "C9"]).status == 0)
        #expect(try cli.run(["route", "add", "r", "--event", "*", "--legal-entity", "USMF", "--min-amount", "10000.50",
                             "--channel", "C1"]).status == 0)
        #expect(try cli.run(["route", "add", "r", "--event", "*", "--channel", "C1", "--approver"]).status != 0)
        #expect(try cli.run(["route", "add", "r", "--event", "*", "--min-amount", "1e5", "--channel", "C1"]).status != 0)
        let listed = try cli.run(["route", "list", "r"]).stdoutText.split(separator: "\n")
        #expect(listed.count == 3, "a header and two routes")
        #expect(listed[1].contains("Workflow_*_WorkItem") && listed[1].contains("approver") && listed[1].hasSuffix("C9"))
        #expect(listed[2].contains("usmf") && listed[2].contains("10000.5"))
        let id = String(listed[1].split(separator: " ")[0])
        #expect(try cli.run(["route", "remove", id]).status == 0)
        #expect(try cli.run(["route", "list", "r"]).stdoutText.split(separator: "\n").count == 2, "a header and the route left")
    }
}

@Suite("ml-connector connection catalog", .needsDatabase)
struct CatalogCommandTests {
    @Test("overrides are validated before they are stored, shown, used by the delivery and cleared")
    func catalogOverrides() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0FINANCE")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-catalog-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("bad.json")
        try #"{"entries":[{"id":"x","event":"*","kind":"notice","title":"T","optinal":true}]}"#.write(to: bad, atomically: true, encoding: .utf8)
        let refused = try h.cli.run(["connection", "catalog", "contoso", "--file", bad.path])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("optinal"))

        let good = directory.appendingPathComponent("good.json")
        try #"{"entries":[{"id":"purchase-order-confirmed","event":"PurchaseOrderConfirmedBusinessEvent","kind":"notice","title":"PO {event.PurchaseOrderNumber} is confirmed (custom)"}]}"#
            .write(to: good, atomically: true, encoding: .utf8)
        #expect(try h.cli.run(["connection", "catalog", "contoso", "--file", good.path]).status == 0)
        #expect(try h.cli.run(["connection", "catalog", "contoso"]).stdoutText.contains("(custom)"))
        #expect(try h.deliver(fixture: "purchase-order-confirmed") == 202)
        try h.drain()
        #expect(DeliveryHarness.allText(try #require(try h.posts().first)).contains("PO USMF-000142 is confirmed (custom)"))
        #expect(try h.cli.run(["connection", "catalog", "contoso", "--clear"]).status == 0)
        #expect(try h.cli.run(["connection", "catalog", "contoso"]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "{}")
    }
}
