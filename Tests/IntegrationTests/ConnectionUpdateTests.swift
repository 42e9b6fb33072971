import Core
import Domain
import Interactions
import Foundation
import Testing

/// `ml-connector connection update` (DESIGN.md §6.2): credentials from the environment only, the signing secret
/// rotated without a failed click, a changed F&O credential dropping the cached token, every update audited by name.
@Suite("connection update", .serialized, .needsDatabase)
struct ConnectionUpdateTests {
    static let newSigningSecret = "rotated-signing-secret-4c1d9e"

    /// A signed url_verification (changes nothing) with the given secret: 200 when the handler accepts the signature.
    static func verificationStatus(_ h: DeliveryHarness, secret: String) throws -> Int {
        try InteractionTests.signed(h, body: try TestEnvironment.fixture("slack/url_verification.json"),
                                    contentType: "application/json", secret: secret).status
    }

    @Test("a new signing secret is accepted at once, the previous one until it is dropped; then only the new one")
    func signingSecretRotation() throws {
        let h = try DeliveryHarness()
        let old = SandboxProcess.signingSecret
        #expect(try Self.verificationStatus(h, secret: old) == 200)
        #expect(try Self.verificationStatus(h, secret: Self.newSigningSecret) == 401)

        let rotated = try h.cli.run(["connection", "update", "contoso"], environment: ["MLC_SLACK_SIGNING_SECRET": Self.newSigningSecret])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdoutText.contains("changed: slack signing secret"))
        #expect(rotated.stdoutText.contains("--drop-previous-signing-secret"))
        #expect(try Self.verificationStatus(h, secret: Self.newSigningSecret) == 200)
        #expect(try Self.verificationStatus(h, secret: old) == 200, "the previous secret stays accepted during the rotation")
        #expect(try Self.verificationStatus(h, secret: "some-other-secret") == 401)

        // The same command again changes nothing (the real previous secret is not pushed out by the current one).
        let again = try h.cli.run(["connection", "update", "contoso"], environment: ["MLC_SLACK_SIGNING_SECRET": Self.newSigningSecret])
        #expect(again.status == 0 && again.stdoutText.contains("nothing changed"))
        #expect(try Self.verificationStatus(h, secret: old) == 200)

        let dropped = try h.cli.run(["connection", "update", "contoso", "--drop-previous-signing-secret"])
        #expect(dropped.status == 0 && dropped.stdoutText.contains("previous slack signing secret dropped"), "\(dropped.stdoutText)")
        #expect(try Self.verificationStatus(h, secret: Self.newSigningSecret) == 200)
        #expect(try Self.verificationStatus(h, secret: old) == 401)
        let none = try h.cli.run(["connection", "update", "contoso", "--drop-previous-signing-secret"])
        #expect(none.status == 0 && none.stdoutText.contains("no previous signing secret"))

        // Audited by name, never a value; nothing printed carries a secret.
        let audit = try h.cli.run(["audit", "--connection", "contoso", "--json"]).stdoutText
        #expect(audit.contains("connection.update") && audit.contains("slack signing secret"))
        for output in [rotated.stdoutText, rotated.stderr, again.stdoutText, dropped.stdoutText, audit] {
            #expect(!output.contains(Self.newSigningSecret) && !output.contains(old))
        }
    }

    @Test("a changed credential is used by the next job; a changed F&O secret drops the cached token")
    func credentials() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "PurchaseOrderConfirmedBusinessEvent", "--channel", "C0PURCHASING")
        #expect(try h.deliver(fixture: "purchase-order-confirmed") == 202)
        try h.drain()
        #expect(try h.posts(channel: "C0PURCHASING").count == 1)
        #expect(try h.count("SELECT count(*) AS n FROM access_token WHERE sealed_token IS NOT NULL") == 1)

        // A wrong client secret: the cached token goes with the change, so the next read asks Entra ID and fails.
        let wrong = try h.cli.run(["connection", "update", "contoso"], environment: ["MLC_DYNAMICS_CLIENT_SECRET": "not-the-secret"])
        #expect(wrong.status == 0 && wrong.stdoutText.contains("changed: dynamics client secret"), "\(wrong.stdoutText)")
        #expect(try h.count("SELECT count(*) AS n FROM access_token") == 0)
        #expect(try h.deliver(fixture: "purchase-order-confirmed",
                              replacing: [("4C1F2A7E", "4C1F2A7F"), ("5637145326", "5637145327")]) == 202)
        _ = try h.processJob()
        #expect(try h.posts(channel: "C0PURCHASING").count == 1)
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE state = 'discarded'") == 1, "Entra ID refused the secret")

        // The right one again, and a new bot token the sandbox does not know: F&O reads work, Slack refuses.
        let fixed = try h.cli.run(["connection", "update", "contoso"],
                                  environment: ["MLC_DYNAMICS_CLIENT_SECRET": SandboxProcess.clientSecret, "MLC_SLACK_BOT_TOKEN": "xoxb-unknown-1"])
        #expect(fixed.status == 0 && fixed.stdoutText.contains("dynamics client secret, slack bot token"), "\(fixed.stdoutText)")
        #expect(try h.cli.run(["replay", "--all-discarded"]).status == 0)
        _ = try h.processJob()
        #expect(try h.posts(channel: "C0PURCHASING").count == 1)
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE state = 'discarded' AND last_error LIKE '%invalid_auth%'") == 1)

        // The right bot token: the replayed job posts.
        #expect(try h.cli.run(["connection", "update", "contoso"], environment: ["MLC_SLACK_BOT_TOKEN": SandboxProcess.botToken]).status == 0)
        #expect(try h.cli.run(["replay", "--all-discarded"]).status == 0)
        try h.drain()
        #expect(try h.posts(channel: "C0PURCHASING").count == 2)
    }

    @Test("settings by option; nothing to update, a bad URL or an unknown connection is a clear non-zero exit")
    func optionsAndRefusals() throws {
        let database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("fabrikam").status == 0)
        let changed = try cli.run(["connection", "update", "fabrikam", "--tenant-id", "tenant-2", "--slack-api-url", "http://127.0.0.1:8/api/"])
        #expect(changed.status == 0 && changed.stdoutText.contains("changed: tenant id, slack api url"), "\(changed.stdoutText)")
        let show = try cli.run(["connection", "show", "fabrikam"]).stdoutText
        #expect(show.contains("tenant-2") && show.contains("http://127.0.0.1:8/api\n"))

        let nothing = try cli.run(["connection", "update", "fabrikam"])
        #expect(nothing.status == 64 && nothing.stderr.contains("nothing to update"))
        let insecure = try cli.run(["connection", "update", "fabrikam", "--dynamics-url", "http://contoso.example.com"])
        #expect(insecure.status == 64 && insecure.stderr.contains("--dynamics-url"))
        let unknown = try cli.run(["connection", "update", "nobody", "--tenant-id", "x"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no connection named nobody"))
        // Secrets are never options.
        #expect(try cli.run(["connection", "update", "fabrikam", "--slack-bot-token", "xoxb-1"]).status == 64)
    }
}
