import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Both handlers as AWS Lambda custom runtimes (DESIGN.md §5.3 item 1), polling the sandbox's Runtime API
/// stand-in, against real PostgreSQL: the contract's statuses, one kept backend, init and invocation errors, a
/// database restarted under a live function, a Runtime API that goes away.
@Suite("Lambda runtime loop", .serialized, .needsDatabase)
struct LambdaTests {
    static let key = "test-event-key-0123456789"
    /// `CLI.addConnection`'s signing secret.
    static let signingSecret = CLI.secrets["MLC_SLACK_SIGNING_SECRET"]!

    static func prepare(_ databaseURL: String) throws {
        let cli = CLI(databaseURL: databaseURL)
        #expect(try cli.addConnection("default").status == 0)
        #expect(try cli.run(["route", "add", "default", "--event", "*", "--channel", "C0FINANCE"]).status == 0)
    }

    static func event(_ server: LambdaServer, _ body: [UInt8], method: String = "POST", key: String = key,
                      contentType: String = "application/json") throws -> HandlerResponse {
        try server.send(handler: "handle-business-event", method: method, path: "/default", query: "code=\(key)",
                        headers: ["content-type": contentType], body: body)
    }

    /// The backends `application` holds open.
    static func backends(_ database: TestDatabase, _ application: String) throws -> [Int] {
        // This test's database only: other suites' handlers run at the same time.
        try database.connect().query("""
            SELECT pid FROM pg_stat_activity WHERE application_name = \(application) AND datname = current_database()
            """)
            .rows.map { try $0.int("pid") }
    }

    @Test("handle-business-event: 202, 200, 400, 401, 405, 413, 415 over one kept PostgreSQL backend")
    func businessEventStatuses() throws {
        let database = try TestDatabase()
        try Self.prepare(database.url)
        let server = LambdaServer(databaseURL: database.url)
        let fixture = try TestEnvironment.fixture("business-events/purchase-order-confirmed.json")

        let accepted = try Self.event(server, fixture)
        #expect(accepted.status == 202, "\(accepted.bodyText) \(accepted.stderr)")
        #expect(accepted.int("accepted") == 1)
        #expect(accepted.headers["content-type"] == "application/json")
        let backend = try Self.backends(database, "handle-business-event")
        #expect(backend.count == 1)

        let duplicate = try Self.event(server, fixture)
        #expect(duplicate.status == 200)
        #expect(duplicate.int("duplicates") == 1)
        #expect(try Self.event(server, Array("{not json".utf8)).status == 400)
        #expect(try Self.event(server, Array(#"{"EventId":"x"}"#.utf8)).status == 400)
        #expect(try Self.event(server, fixture, key: "wrong-key").status == 401)
        let get = try Self.event(server, [], method: "GET")
        #expect(get.status == 405)
        #expect(get.headers["allow"] == "POST")
        #expect(try Self.event(server, Array(repeating: UInt8(ascii: " "), count: (1 << 20) + 1)).status == 413)
        #expect(try Self.event(server, fixture, contentType: "text/plain").status == 415)
        for index in 0..<40 {
            let body = Array(#"{"BusinessEventId":"PurchaseOrderConfirmedBusinessEvent","EventId":"L-\#(index)","ControlNumber":\#(index + 100),"LegalEntity":"USMF"}"#.utf8)
            #expect(try Self.event(server, body).status == 202)
        }
        #expect(try Self.backends(database, "handle-business-event") == backend, "one backend across all invocations")
        #expect(try database.connect().query("SELECT count(*) AS n FROM business_event").first!.int("n") == 41)
        #expect(try server.function("handle-business-event").isRunning)
    }

    @Test("handle-slack-interaction: 200 for a signed url_verification and ssl_check, 401 for a bad signature")
    func slackStatuses() throws {
        let database = try TestDatabase()
        try Self.prepare(database.url)
        let server = LambdaServer(databaseURL: database.url, environment: ["MLC_MASTER_KEY": TestEnvironment.masterKey])
        func signed(_ body: [UInt8], contentType: String, secret: String = Self.signingSecret) throws -> HandlerResponse {
            let timestamp = String(Int(Date().timeIntervalSince1970))
            return try server.send(handler: "handle-slack-interaction", method: "POST", path: "/default", query: "", headers: [
                "content-type": contentType, "x-slack-request-timestamp": timestamp,
                "x-slack-signature": SlackSignature.sign(body: body, timestamp: timestamp, secret: secret),
            ], body: body)
        }
        let verification = try TestEnvironment.fixture("slack/url_verification.json")
        let challenge = try signed(verification, contentType: "application/json")
        #expect(challenge.status == 200, "\(challenge.bodyText) \(challenge.stderr)")
        #expect(challenge.json?["challenge"] as? String != nil)
        let backend = try Self.backends(database, "handle-slack-interaction")
        #expect(backend.count == 1)
        #expect(try signed(Array("ssl_check=1&token=x".utf8), contentType: "application/x-www-form-urlencoded").status == 200)
        #expect(try signed(verification, contentType: "application/json", secret: "not-the-secret").status == 401)
        #expect(try signed(verification, contentType: "application/json").status == 200)
        #expect(try Self.backends(database, "handle-slack-interaction") == backend)
    }

    @Test("a configuration error at start is posted to init/error, naming the variable, then exit 78",
          arguments: [("handle-business-event", "MLC_DATABASE_URL", [:]),
                      ("handle-slack-interaction", "MLC_MASTER_KEY", ["MLC_DATABASE_URL": "postgresql:///x?password=hunter2"])])
    func initError(handler: String, variable: String, environment: [String: String]) throws {
        let function = try LambdaFunction(handler: handler, environment: environment)
        #expect(function.waitForExit(seconds: 20) == 78)
        let errors = try function.ledger()["init_errors"] as? [[String: Any]] ?? []
        #expect(errors.count == 1)
        #expect(errors.first?["error_type"] as? String == "Configuration")
        let message = errors.first?["error_message"] as? String ?? ""
        #expect(message.contains(variable), "\(message)")
        #expect(!message.contains("hunter2"))
        #expect(function.standardError.contains(variable))
    }

    @Test("an event that is not a payload 2.0 object is answered through invocation/error; the loop goes on")
    func notAnHTTPEvent() throws {
        let database = try TestDatabase()
        try Self.prepare(database.url)
        let server = LambdaServer(databaseURL: database.url)
        let function = try server.function("handle-business-event")
        for event in ["[1,2,3]", #"{"Records":[{"eventSource":"aws:sqs"}]}"#, "not json"] {
            let answer = try function.invoke(Array(event.utf8))
            #expect(answer.status == 200)
            #expect(answer.header("X-Amz-Function-Error") == "Unhandled")
            let error = try SandboxProcess.object(answer)
            #expect(error["errorType"] as? String == "InvalidEvent")
            #expect((error["errorMessage"] as? String)?.isEmpty == false)
        }
        let recorded = try function.ledger()["invocations"] as? [[String: Any]] ?? []
        #expect(recorded.map { $0["stage"] as? String } == ["failed", "failed", "failed"])
        #expect(recorded.first?["error_type"] as? String == "InvalidEvent")
        let fixture = try TestEnvironment.fixture("business-events/vendor-invoice-posted.json")
        #expect(try Self.event(server, fixture).status == 202)
    }

    @Test("PostgreSQL restarted between invocations: 503 with Retry-After, then 2xx from the same process")
    func databaseRestart() throws {
        let cluster = try PrivateCluster()
        #expect(try CLI(databaseURL: cluster.url).run(["migrate"]).status == 0)
        try Self.prepare(cluster.url)
        let server = LambdaServer(databaseURL: cluster.url)
        let function = try server.function("handle-business-event")
        #expect(try Self.event(server, try TestEnvironment.fixture("business-events/vendor-invoice-posted.json")).status == 202)
        try cluster.stop()
        let body = try TestEnvironment.fixture("business-events/purchase-order-confirmed.json")
        let refused = try Self.event(server, body)
        #expect(refused.status == 503)
        #expect(refused.headers["retry-after"] == "5")
        try cluster.start()
        let resent = try Self.event(server, body)
        #expect(resent.status == 202, "\(resent.bodyText) \(function.standardError)")
        #expect(try Self.event(server, body).status == 200)
        #expect(function.isRunning)
        let db = try PostgresConnection(url: cluster.url)
        #expect(try db.query("SELECT count(*) AS n FROM business_event").first!.int("n") == 2)
    }

    @Test("a Runtime API that goes away ends the function with exit 69 after a few tries, logged")
    func runtimeAPIGone() throws {
        let database = try TestDatabase()
        let function = try LambdaFunction(handler: "handle-business-event", environment: ["MLC_DATABASE_URL": database.url])
        // The function is waiting in `next`; the sandbox ends under it.
        usleep(300_000)
        kill(function.sandbox.pid, SIGKILL)
        #expect(function.waitForExit(seconds: 20) == 69)
        #expect(function.standardError.contains("the Lambda Runtime API is unavailable"))
    }
}
