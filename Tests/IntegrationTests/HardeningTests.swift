import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation
import Glibc
import Logging
import Testing

/// The holes of issue 10, each closed the way DESIGN.md §7 Security says, each proved here against the binaries or
/// the stores with real PostgreSQL.
@Suite("hardening", .serialized, .needsDatabase)
struct HardeningTests {
    @Test("a Slack timestamp at either end of Int64, signed, spaced or too long is a 401, never a crash")
    func slackTimestampBounds() throws {
        let (h, reference, _) = try InteractionTests.withApprovalCard()
        let payload = #"{"type":"block_actions","user":{"id":"U04ALICIA"},"trigger_id":"T-X","actions":[{"action_id":"mlc.approve","value":"\#(reference)"}]}"#
        let body = Array(("payload=" + FormURLEncoding.percentEncode(payload)).utf8)
        let handler = HandlerInvocation(binary: TestEnvironment.binary("handle-slack-interaction"), databaseURL: h.database.url,
                                        extraEnvironment: ["MLC_MASTER_KEY": TestEnvironment.masterKey])
        for timestamp in ["-9223372036854775808", "9223372036854775807", "+1700000000", " 1700000000", "17000000000", "1e9", "", "٣"] {
            let response = try handler.send(.cgi, path: "/contoso", headers: [
                "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": timestamp,
                "x-slack-signature": SlackSignature.sign(body: body, timestamp: timestamp, secret: SandboxProcess.signingSecret),
            ], body: body)
            #expect(response.status == 401, "\(timestamp)")
            #expect(response.exitStatus == 0, "\(timestamp): the process exits cleanly")
        }
        #expect(try InteractionTests.state(h) == "pending")
    }

    @Test("U+0000 in any string of an event is a 400 and nothing is stored; a value PostgreSQL refuses is a 400 too",
          arguments: RequestFormat.allCases)
    func nulCharacter(format: RequestFormat) throws {
        let database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("default").status == 0)
        let handler = HandlerInvocation(binary: TestEnvironment.binary("handle-business-event"), databaseURL: database.url)
        for body in [#"{"BusinessEventId":"X","EventId":"A\u0000B","ControlNumber":1}"#,
                     #"{"BusinessEventId":"X","EventId":"A","ControlNumber":1,"Note":["ok","x\u0000"]}"#,
                     #"{"BusinessEventId":"X","EventId":"A","ControlNumber":1,"Ke\u0000y":1}"#] {
            let response = try handler.send(format, path: "/default", query: "code=test-event-key-0123456789", body: Array(body.utf8))
            #expect(response.status == 400, "\(body)")
            #expect(response.bodyText.contains("U+0000"))
        }
        #expect(try database.connect().query("SELECT count(*) AS n FROM business_event").first!.int("n") == 0)
    }

    @Test("keys rotate re-seals cached access tokens: jobs keep working once the previous key is gone")
    func rotationCoversTokens() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0FINANCE")
        #expect(try h.deliver(fixture: "purchase-order-confirmed") == 202)
        try h.drain()
        #expect(try h.count("SELECT count(*) AS n FROM access_token WHERE sealed_token IS NOT NULL") == 1)
        let newKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let rotated = try h.cli.run(["keys", "rotate"], environment: ["MLC_MASTER_KEY": newKey, "MLC_MASTER_KEY_PREVIOUS": TestEnvironment.masterKey])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdoutText.contains("1 cached access token(s)"))
        let tokenRequests = try h.sandbox.requests().filter { ($0["path"] as? String ?? "").contains("oauth2") }.count
        #expect(try h.deliver(fixture: "vendor-invoice-posted") == 202)
        try h.drain(environment: ["MLC_MASTER_KEY": newKey])
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE state = 'discarded'") == 0)
        #expect(try h.posts(channel: "C0FINANCE").count == 2)
        #expect(try h.sandbox.requests().filter { ($0["path"] as? String ?? "").contains("oauth2") }.count == tokenRequests,
                "the cached token, re-sealed, was used: no new token")
    }

    @Test("a response_url that is not Slack's is never called")
    func responseURLPolicy() throws {
        let (h, reference, ts) = try InteractionTests.withApprovalCard()
        let signed = try h.sandbox.interaction(channel: "D04ALICIADM", ts: ts, actionID: "mlc.approve", user: "U05JULIA")
        guard case .object(var payload) = try SandboxProcess.payload(signed.body) else { throw HarnessFailure(message: "no payload") }
        payload["response_url"] = .string("https://hooks.slack.com.evil.example/actions/T/1/x")
        let body = Array(("payload=" + FormURLEncoding.percentEncode(JSONValue.object(payload).serialized())).utf8)
        let response = try InteractionTests.signed(h, body: body, contentType: "application/x-www-form-urlencoded")
        #expect(response.status == 200)
        #expect(try InteractionTests.ephemerals(h).isEmpty)
        #expect(try h.count("SELECT count(*) AS n FROM audit_log WHERE detail = 'not sent: the response_url is not Slack''s'") == 1)
        #expect(URLPolicy.isSlackResponseURL("https://hooks.slack.com/actions/T0/1/abc"))
        for url in ["https://hooks.slack.com.evil.example/x", "https://evil.example/hooks.slack.com/", "http://hooks.slack.com/x",
                    "https://user@hooks.slack.com/x", "https://hooks.slack.com:8443/x", "https://evil.example#@hooks.slack.com/"] {
            #expect(!URLPolicy.isSlackResponseURL(url), "\(url)")
        }
        _ = reference
    }

    @Test("a long-running worker sees a removed connection within its cache lifetime")
    func cachesExpire() throws {
        let database = try TestDatabase()
        #expect(try CLI(databaseURL: database.url).addConnection("gone").status == 0)
        let db = try database.connect()
        let id = try #require(try ConnectionStore(db).find(name: "gone")?.id)
        let key = try #require(MasterKey(base64: TestEnvironment.masterKey))
        let context = JobContext(db: db, http: HTTPClient(), box: SecretBox(keys: MasterKeys(current: key)), logger: Logger(label: "test"),
                                 cacheLifetime: .milliseconds(200))
        _ = try context.connection(id)
        #expect(try ConnectionStore(db).remove(name: "gone") != nil)
        _ = try context.connection(id)  // still cached
        Thread.sleep(forTimeInterval: 0.3)
        #expect(throws: PlatformError.self) { try context.connection(id) }
    }

    @Test("a Slack 429 on users.lookupByEmail holds back Slack's bucket, not the connection's F&O bucket")
    func lookupRateLimit() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "Workflow_*_WorkItem", "--approver")
        try h.sandbox.fault(service: "slack", match: "users.lookupByEmail", status: 429, retryAfter: 30, count: 1)
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        #expect(try h.processJob(["--once"]).status == 0)
        let held = try h.database.connect().query("""
            SELECT key, next_allowed_at > now() + interval '20 seconds' AS held FROM rate_bucket WHERE key LIKE '%:%' ORDER BY key
            """).rows.map { (try $0.string("key"), try $0.bool("held")) }
        #expect(held.contains { $0.0.hasSuffix(":method:users.lookupByEmail") && $0.1 })
        #expect(held.contains { $0.0.hasPrefix("dynamics:") && !$0.1 }, "\(held)")
    }

    @Test("two deliveries racing on one new work item both get the one approval row")
    func concurrentOpen() throws {
        let database = try TestDatabase()
        #expect(try CLI(databaseURL: database.url).addConnection("default").status == 0)
        let first = try database.connect()
        let url = database.url
        let connectionID = try #require(try ConnectionStore(first).find(name: "default")?.id)
        let event = try BusinessEvent.parse(try JSONParser.parse(Array(#"{"BusinessEventId":"Workflow_X_WorkItem","EventId":"R1","ControlNumber":3}"#.utf8)))
        _ = try BusinessEventStore(first).store([event], for: try #require(try BusinessEventStore(first).intakeTarget(name: "default")))
        let row = try first.query("SELECT id FROM business_event WHERE event_id = 'R1'").first!.int64("id")
        try first.execute("BEGIN")
        let mine = try ApprovalStore(first).open(connectionID: connectionID, eventRow: row, workItemID: "W-RACE", assignee: "alicia",
                                                legalEntity: "usmf", approverEmail: nil, approverSlackID: nil)
        let theirs = LockedBox<Int64?>(nil)
        let racer = Thread {
            guard let second = try? PostgresConnection(url: url) else { return }
            theirs.value = try? ApprovalStore(second).open(connectionID: connectionID, eventRow: row, workItemID: "W-RACE",
                                                           assignee: "alicia", legalEntity: "usmf", approverEmail: nil,
                                                           approverSlackID: nil).id
        }
        racer.start()
        Thread.sleep(forTimeInterval: 0.3)  // the racer waits on the uncommitted row
        try first.execute("COMMIT")
        let deadline = Date().addingTimeInterval(5)
        while theirs.value == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(theirs.value == mine.id)
    }

    @Test("a malformed MLC_MASTER_KEY is an error for every binary, also one that does not need it")
    func malformedMasterKey() throws {
        let database = try TestDatabase()
        let cli = try CLI(databaseURL: database.url).run(["route", "list", "x"], environment: ["MLC_MASTER_KEY": "not-base64-of-32-bytes"])
        #expect(cli.status == 78)
        #expect(cli.stderr.contains("MLC_MASTER_KEY"))
        let handler = HandlerInvocation(binary: TestEnvironment.binary("handle-business-event"), databaseURL: database.url,
                                        extraEnvironment: ["MLC_MASTER_KEY": "c2hvcnQ="])
        let response = try handler.send(.cgi, path: "/default", body: Array("{}".utf8))
        #expect(response.status == 500 && response.bodyText == #"{"error":"configuration"}"#)
        #expect(response.exitStatus == 78)
    }

    @Test("core dumps are off in a running binary")
    func noCoreDumps() throws {
        let database = try TestDatabase()
        let worker = try BackgroundProcess(TestEnvironment.binary("process-job"), arguments: ["--listen"], environment: [
            "MLC_DATABASE_URL": database.url, "MLC_MASTER_KEY": TestEnvironment.masterKey, "MLC_LOG_LEVEL": "error",
        ])
        Thread.sleep(forTimeInterval: 0.5)
        let limits = try String(contentsOfFile: "/proc/\(worker.pid)/limits", encoding: .utf8)
        let core = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") })
        #expect(core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"], "\(core)")
        #expect(worker.terminate() == 0)
    }
}

/// A value shared with a thread in a test.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
