import Core
import Foundation
import Testing

/// `ml-connector ping NAME` against the sandbox and its injected faults: each check named with its result, a hint on
/// failure (an Entra AADSTS code's meaning, F&O's Entra ID applications page, the Slack scope), exit 0 only when
/// every check passed.
@Suite("ml-connector ping", .needsDatabase)
struct PingTests {
    private static func lines(_ result: ProcessResult) -> [String] {
        result.stdoutText.split(separator: "\n").map(String.init)
    }

    /// The line of `check` and the hint line after it, when there is one.
    private static func check(_ result: ProcessResult, _ name: String) throws -> (line: String, hint: String?) {
        let lines = lines(result)
        let index = try #require(lines.firstIndex { $0.dropFirst(6).hasPrefix(name + ":") }, "no \(name) line in\n\(result.stdoutText)")
        let next = lines.indices.contains(index + 1) ? lines[index + 1] : ""
        return (lines[index], next.hasPrefix("      hint: ") ? String(next.dropFirst(12)) : nil)
    }

    @Test("every check passes: four ok lines, exit 0")
    func allOK() throws {
        let h = try DeliveryHarness()
        let ping = try h.cli.run(["ping", "contoso"])
        #expect(ping.status == 0, "\(ping.stdoutText)\(ping.stderr)")
        for name in ["Entra ID token", "F&O OData read", "Slack auth.test", "catalog check"] {
            #expect(try Self.check(ping, name).line.hasPrefix("ok    "), "\(name)")
        }
        #expect(Self.lines(ping).count == 4)
    }

    @Test("an Entra AADSTS error names the code and what it means; the OData read and the catalog are skipped; exit 1")
    func entraCodes() throws {
        let h = try DeliveryHarness()
        let expected = [
            7000215: "invalid client secret", 7000222: "the client secret has expired",
            700016: "no application with this client id in the tenant", 90002: "tenant not found: check --tenant-id",
            500011: "--dynamics-url does not name an F&O environment of this tenant",
            4242: "see https://login.microsoftonline.com/error?code=4242",
        ]
        for (code, meaning) in expected {
            try h.sandbox.fault(service: "entra", entraCode: code)
            let ping = try h.cli.run(["ping", "contoso"])
            #expect(ping.status == 1)
            let entra = try Self.check(ping, "Entra ID token")
            #expect(entra.line.hasPrefix("FAIL  ") && entra.line.contains("AADSTS\(code)"), "\(entra.line)")
            #expect(entra.hint?.hasPrefix("AADSTS\(code): ") == true && entra.hint?.contains(meaning) == true, "\(entra.hint ?? "no hint")")
            #expect(try Self.check(ping, "F&O OData read").line == "skip  F&O OData read: needs the Entra ID token")
            #expect(try Self.check(ping, "catalog check").line.hasPrefix("skip  "))
            #expect(try Self.check(ping, "Slack auth.test").line.hasPrefix("ok    "), "the other platform is still checked")
            // Entra's description can name the F&O host: it is never repeated.
            #expect(!ping.stdoutText.contains("Injected by the sandbox") && !ping.stdoutText.contains("contoso-sandbox"))
        }
        // The real sandbox refusing a wrong secret answers like Entra too.
        let env = ["MLC_DYNAMICS_CLIENT_SECRET": "not-the-secret", "MLC_SLACK_BOT_TOKEN": SandboxProcess.botToken,
                   "MLC_SLACK_SIGNING_SECRET": SandboxProcess.signingSecret]
        #expect(try h.cli.run(["connection", "add", "wrong", "--dynamics-url", h.sandbox.dynamicsURL, "--tenant-id", "t",
                               "--client-id", SandboxProcess.clientID, "--entra-authority", h.sandbox.entraAuthority,
                               "--slack-api-url", h.sandbox.slackAPIURL], environment: env).status == 0)
        let wrong = try h.cli.run(["ping", "wrong"])
        #expect(wrong.status == 1)
        #expect(try Self.check(wrong, "Entra ID token").hint?.hasPrefix("AADSTS7000215: invalid client secret") == true)
    }

    @Test("an OData 401 after a fresh token points at F&O's Entra ID applications page; a 404 at --dynamics-url")
    func odata() throws {
        let h = try DeliveryHarness()
        try h.sandbox.fault(service: "odata", match: "DimensionIntegrationFormats", status: 401, count: 2)
        let unauthorized = try h.cli.run(["ping", "contoso"])
        #expect(unauthorized.status == 1)
        #expect(try Self.check(unauthorized, "Entra ID token").line.hasPrefix("ok    "))
        let read = try Self.check(unauthorized, "F&O OData read")
        #expect(read.line.hasPrefix("FAIL  ") && read.line.contains("401"), "\(read.line)")
        #expect(read.hint?.contains("Microsoft Entra ID applications") == true && read.hint?.contains("SysAADClientTable") == true)
        #expect(try Self.check(unauthorized, "catalog check").line.hasPrefix("ok    "), "$metadata was not refused")

        try h.sandbox.fault(service: "odata", match: "DimensionIntegrationFormats", status: 404)
        let notFound = try h.cli.run(["ping", "contoso"])
        #expect(notFound.status == 1)
        #expect(try Self.check(notFound, "F&O OData read").hint?.hasPrefix("--dynamics-url is wrong") == true)

        try h.sandbox.fault(service: "odata", match: "DimensionIntegrationFormats", status: 503)
        #expect(try Self.check(try h.cli.run(["ping", "contoso"]), "F&O OData read").hint?.contains("busy or unavailable (HTTP 503)") == true)
    }

    @Test("Slack invalid_auth names the bot token; missing_scope names the scope Slack says is needed")
    func slack() throws {
        let h = try DeliveryHarness()
        try h.sandbox.fault(service: "slack", match: "auth.test", slackError: "invalid_auth")
        let invalid = try h.cli.run(["ping", "contoso"])
        #expect(invalid.status == 1)
        let auth = try Self.check(invalid, "Slack auth.test")
        #expect(auth.line.hasPrefix("FAIL  ") && auth.line.contains("invalid_auth"))
        #expect(auth.hint?.contains("Bot User OAuth Token") == true)
        #expect(try Self.check(invalid, "F&O OData read").line.hasPrefix("ok    "))

        try h.sandbox.fault(service: "slack", match: "auth.test", slackError: "missing_scope", needed: "chat:write")
        let scope = try Self.check(try h.cli.run(["ping", "contoso"]), "Slack auth.test")
        #expect(scope.line.contains("missing_scope") && scope.line.contains("(needed: chat:write)"))
        #expect(scope.hint?.hasPrefix("the app lacks the chat:write scope") == true, "\(scope.hint ?? "no hint")")

        try h.sandbox.fault(service: "slack", match: "auth.test", slackError: "token_revoked")
        #expect(try Self.check(try h.cli.run(["ping", "contoso"]), "Slack auth.test").hint?.contains("reinstall the app") == true)

        let after = try h.cli.run(["ping", "contoso"])
        #expect(after.status == 0, "the faults were used up: \(after.stdoutText)")
    }
}
