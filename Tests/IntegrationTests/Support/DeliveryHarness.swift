import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation

/// Everything an end-to-end delivery test needs: a database of its own, the sandbox, a connection pointing at
/// the sandbox, the intake handler run as CGI and `process-job`.
final class DeliveryHarness: @unchecked Sendable {
    static let eventKey = "test-event-key-0123456789"

    let database: TestDatabase
    let sandbox: SandboxProcess
    let cli: CLI

    init(sandboxArguments: [String] = []) throws {
        database = try TestDatabase()
        sandbox = try SandboxProcess(arguments: sandboxArguments)
        cli = CLI(databaseURL: database.url)
        var env = CLI.secrets
        env["MLC_DYNAMICS_CLIENT_SECRET"] = SandboxProcess.clientSecret
        env["MLC_SLACK_BOT_TOKEN"] = SandboxProcess.botToken
        env["MLC_SLACK_SIGNING_SECRET"] = SandboxProcess.signingSecret
        env["MLC_EVENT_KEY"] = Self.eventKey
        let added = try cli.run(["connection", "add", "contoso", "--dynamics-url", sandbox.dynamicsURL, "--tenant-id", "contoso-tenant",
                                 "--client-id", SandboxProcess.clientID, "--entra-authority", sandbox.entraAuthority,
                                 "--slack-api-url", sandbox.slackAPIURL], environment: env)
        guard added.status == 0 else { throw HarnessFailure(message: added.stderr) }
    }

    func route(_ arguments: String...) throws {
        let result = try cli.run(["route", "add", "contoso"] + arguments)
        guard result.status == 0 else { throw HarnessFailure(message: result.stderr) }
    }

    /// POSTs a body to handle-business-event as CGI; returns the status.
    @discardableResult
    func deliver(_ body: [UInt8]) throws -> Int {
        try HandlerInvocation(binary: TestEnvironment.binary("handle-business-event"), databaseURL: database.url)
            .send(.cgi, path: "/contoso", query: "code=\(Self.eventKey)", body: body).status
    }

    @discardableResult
    func deliver(fixture name: String, replacing replacements: [(String, String)] = []) throws -> Int {
        var text = String(decoding: try TestEnvironment.fixture("business-events/\(name).json"), as: UTF8.self)
        for (old, new) in replacements { text = text.replacingOccurrences(of: old, with: new) }
        return try deliver(Array(text.utf8))
    }

    var processJobEnvironment: [String: String] {
        ["MLC_DATABASE_URL": database.url, "MLC_MASTER_KEY": TestEnvironment.masterKey, "MLC_LOG_LEVEL": "warning",
         "MLC_JOB_RETRY_BASE_SECONDS": "1"]
    }

    func processJob(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(TestEnvironment.binary("process-job"), arguments: arguments,
                              environment: processJobEnvironment.merging(environment) { $1 }, timeout: 120)
    }

    /// Runs process-job until no job is waiting or running (retries are scheduled a second or so out); reminders
    /// and digests scheduled for later (`remind_approval`, `post_digest`, hours ahead) are not waited for.
    func drain(environment: [String: String] = [:], timeout: TimeInterval = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let run = try processJob(environment: environment)
            guard run.status == 0 else { throw HarnessFailure(message: "process-job exited \(run.status): \(run.stderr)") }
            if try count("""
                SELECT count(*) AS n FROM job WHERE state IN ('available', 'running')
                  AND NOT (kind IN ('remind_approval', 'post_digest') AND run_at > now() + interval '1 minute')
                """) == 0 { return }
            Thread.sleep(forTimeInterval: 0.3)
        }
        throw HarnessFailure(message: "jobs still waiting after \(timeout) s")
    }

    func count(_ sql: SQL) throws -> Int {
        try database.connect().query(sql).first!.int("n")
    }

    /// Messages the sandbox received through chat.postMessage (optionally for one channel).
    func posts(channel: String? = nil) throws -> [[String: Any]] {
        try sandbox.messages().filter {
            $0["method"] as? String == "chat.postMessage" && (channel == nil || $0["channel"] as? String == channel)
        }
    }

    /// All text of a recorded message: the fallback and every text in its blocks.
    static func allText(_ message: [String: Any]) -> String {
        let blocks = (try? JSONSerialization.data(withJSONObject: message["blocks"] ?? [])).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return (message["text"] as? String ?? "") + "\n" + blocks
    }
}

struct HarnessFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
