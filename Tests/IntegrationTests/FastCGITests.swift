import Core
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The handlers as long-running FastCGI responders (DESIGN.md §5.3), spoken to directly over their socket with
/// the test client, against real PostgreSQL.
@Suite("FastCGI", .needsDatabase)
struct FastCGITests {
    static let key = "test-event-key-0123456789"

    let database: TestDatabase

    init() throws {
        database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("default").status == 0)
        #expect(try cli.run(["route", "add", "default", "--event", "*", "--channel", "C0FINANCE"]).status == 0)
    }

    /// A new purchase-order event: `n` makes its EventId and ControlNumber unique.
    static func event(_ n: Int) -> [UInt8] {
        Array("""
            {"BusinessEventId":"PurchaseOrderConfirmedBusinessEvent","BusinessEventLegalEntity":"usmf","ControlNumber":\(1000 + n),
             "EventId":"fcgi-\(n)","EventTime":"/Date(1764403200000)/","PurchaseOrderNumber":"USMF-000142",
             "TransactionCurrencyAmount":48250.75,"TransactionCurrencyCode":"USD","VendorAccount":"US-104"}
            """.utf8)
    }

    func handler(_ environment: [String: String] = [:], url: String? = nil, socketActivation: Bool = false) throws -> FastCGIHandlerProcess {
        var env = environment
        env["MLC_DATABASE_URL"] = url ?? database.url
        env["MLC_LOG_LEVEL"] = env["MLC_LOG_LEVEL"] ?? "error"
        return try FastCGIHandlerProcess(binary: TestEnvironment.binary("handle-business-event"), environment: env,
                                         socketActivation: socketActivation)
    }

    func post(_ client: FastCGIClient, _ n: Int, id: UInt16 = 1, keep: Bool = true) throws -> HandlerResponse {
        try client.exchange(id, keep: keep, path: "/default", query: "code=\(Self.key)", body: Self.event(n))
    }

    func count(_ sql: SQL) throws -> Int { try database.connect().query(sql).first!.int("n") }

    @Test("many KEEP_CONN requests on one connection, and many connections, to one process")
    func keptAndManyConnections() throws {
        let process = try handler()
        let client = try process.client()
        for n in 0..<40 {
            let response = try post(client, n, id: UInt16(n % 3 + 1))
            #expect(response.status == 202, "\(n): \(response.bodyText)")
        }
        let again = try post(client, 0)
        #expect(again.status == 200 && again.int("duplicates") == 1)
        for n in 40..<60 {
            let response = try post(try process.client(), n, keep: false)
            #expect(response.status == 202)
        }
        #expect(client.isClosed(within: 0), "the idle kept connection gave way to the first one waiting")
        #expect(try count("SELECT count(*) AS n FROM business_event") == 60)
        #expect(try count("SELECT count(*) AS n FROM job") == 60)
        #expect(process.exited(within: 0) == nil)
    }

    @Test("a bad request between good ones: 400, 405, 401, a garbage connection; the process serves on")
    func badBetweenGood() throws {
        let process = try handler()
        let client = try process.client()
        #expect(try post(client, 1).status == 202)
        #expect(try client.exchange(2, keep: true, path: "/default", query: "code=\(Self.key)", body: Array("{not json".utf8)).status == 400)
        let get = try client.exchange(3, keep: true, method: "GET", path: "/default")
        #expect(get.status == 405 && get.headers["allow"] == "POST")
        #expect(try client.exchange(4, keep: true, path: "/default", query: "code=wrong", body: Self.event(9)).status == 401)
        #expect(try client.exchange(5, keep: true, path: "/default", query: "code=\(Self.key)", body: [1],
                                    declaredLength: 10).status == 400, "a body shorter than CONTENT_LENGTH")
        #expect(try post(client, 2).status == 202)

        let garbage = try process.client()
        try garbage.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(garbage.isClosed(), "not FastCGI: the connection is closed")
        let lying = try process.client()
        try lying.send(FastCGIClient.begin(1, keep: true) + [1, 4, 0, 1, 0, 8, 0, 0] + [0x80, 0, 0, 9, 1, 65, 66, 67])
        try lying.send(FastCGIClient.record(4, 1))
        #expect(lying.isClosed(), "a pair longer than its record closes the connection")

        let other = try process.client()
        try other.send(FastCGIClient.begin(7, role: 2, keep: true) + FastCGIClient.record(9, 0, FastCGIClient.pairs([("FCGI_MPXS_CONNS", "")]))
                       + FastCGIClient.record(77, 0))
        let end = try #require(try other.readRecord())
        #expect(end.type == 3 && end.requestID == 7 && end.content[4] == 3, "FCGI_UNKNOWN_ROLE")
        let values = try #require(try other.readRecord())
        #expect(values.type == 10 && values.content == FastCGIClient.pairs([("FCGI_MPXS_CONNS", "0")]))
        #expect(try other.readRecord() == FastCGIClient.Record(type: 11, requestID: 0, content: [77, 0, 0, 0, 0, 0, 0, 0]))
        #expect(try post(other, 3).status == 202)
        #expect(try count("SELECT count(*) AS n FROM business_event") == 3)
        #expect(process.exited(within: 0) == nil)
    }

    @Test("413 on a kept connection: answered before the body is read, then that connection ends")
    func tooLargeEndsKeptConnection() throws {
        let process = try handler()
        let client = try process.client()
        #expect(try post(client, 1).status == 202)
        let size = 2 << 20
        try client.send(FastCGIClient.begin(2, keep: true) + FastCGIClient.stream(4, 2, FastCGIClient.pairs(
            FastCGIClient.cgiParams(method: "POST", path: "/default", query: "code=\(Self.key)",
                                    headers: ["content-type": "application/json"], bodyLength: size)))
            + FastCGIClient.record(5, 2, Array(repeating: 0x20, count: 60_000)))
        let reply = try client.readReply(2)
        let response = try HandlerInvocation.parse(.cgi, ProcessResult(status: 0, stdout: reply.stdout, stderr: ""))
        #expect(response.status == 413)
        #expect(client.isClosed())
        #expect(try post(try process.client(), 2).status == 202)
    }

    @Test("PostgreSQL restarted under a live process: 503 with Retry-After while down, then 2xx, same process")
    func databaseRestart() throws {
        let cluster = try PrivateCluster()
        let cli = CLI(databaseURL: cluster.url)
        #expect(try cli.run(["migrate"]).status == 0)
        #expect(try cli.addConnection("default").status == 0)
        #expect(try cli.run(["route", "add", "default", "--event", "*", "--channel", "C1"]).status == 0)
        let process = try handler(url: cluster.url)
        let client = try process.client()
        #expect(try post(client, 1).status == 202)
        try cluster.stop()
        for n in 2...3 {
            let refused = try post(client, n)
            #expect(refused.status == 503)
            #expect(refused.headers["retry-after"] == "5")
        }
        try cluster.start()
        #expect(try post(client, 2).status == 202)
        #expect(try post(try process.client(), 3, keep: false).status == 202)
        #expect(process.exited(within: 0) == nil)
        // Restarted while idle: the kept connection is found broken by the next request's check or failure, never twice.
        try cluster.stop()
        try cluster.start()
        let later = try process.client()
        let statuses = try (4...6).map { try post(later, $0).status }
        #expect(statuses.last == 202 && statuses.filter { $0 == 503 }.count <= 1, "\(statuses)")
        let db = try PostgresConnection(url: cluster.url)
        #expect(try db.query("SELECT count(*) AS n FROM business_event").first!.int("n") == 3 + statuses.filter { $0 == 202 }.count)
    }

    @Test("SIGTERM mid-request: the request in hand completes, then exit 0; an idle kept connection is not in hand")
    func sigtermMidRequest() throws {
        let process = try handler()
        let client = try process.client()
        #expect(try post(client, 1).status == 202)
        let body = Self.event(2)
        let records = FastCGIClient.request(2, keep: true, params: FastCGIClient.cgiParams(
            method: "POST", path: "/default", query: "code=\(Self.key)", headers: ["content-type": "application/json"],
            bodyLength: body.count), body: body)
        try client.send(Array(records[0..<records.count - 40]))
        usleep(200_000)
        process.signal(SIGTERM)
        #expect(process.exited(within: 0.5) == nil, "the request whose body is arriving is in hand")
        try client.send(Array(records[(records.count - 40)...]))
        let reply = try client.readReply(2)
        #expect(try HandlerInvocation.parse(.cgi, ProcessResult(status: 0, stdout: reply.stdout, stderr: "")).status == 202)
        #expect(process.exited(within: 5) == 0)
        #expect(try count("SELECT count(*) AS n FROM business_event") == 2)

        let idle = try handler()
        let kept = try idle.client()
        #expect(try post(kept, 3).status == 202)
        idle.signal(SIGINT)
        #expect(idle.exited(within: 5) == 0)
        #expect(kept.isClosed())
    }

    @Test("MLC_MAX_REQUESTS recycles the process (exit 0); a malformed value is a configuration error (78)")
    func maxRequests() throws {
        let process = try handler(["MLC_MAX_REQUESTS": "3"])
        let client = try process.client()
        for n in 1...3 { #expect(try post(client, n).status == 202) }
        #expect(client.isClosed())
        #expect(process.exited(within: 5) == 0)
        for bad in ["0", "-1", "ten", "1.5"] {
            let refused = try handler(["MLC_MAX_REQUESTS": bad])
            #expect(refused.exited(within: 10) == 78, "\(bad)")
            #expect(refused.standardError.contains("MLC_MAX_REQUESTS"))
        }
    }

    @Test("systemd socket activation: LISTEN_FDS=1 and LISTEN_PID, the socket on fd 3")
    func socketActivation() throws {
        let process = try handler(socketActivation: true)
        #expect(try post(try process.client(), 1).status == 202)
        #expect(try post(try process.client(), 2, keep: false).status == 202)
        #expect(process.terminate() == 0)
    }

    @Test("one PostgreSQL backend serves every request of the process (pg_stat_activity)")
    func connectionReuse() throws {
        let process = try handler()
        let client = try process.client()
        let backends: SQL = "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'handle-business-event' AND datname = current_database()"
        var seen: Set<Int> = []
        for n in 0..<30 {
            // Half over the kept connection, half over a new connection each.
            #expect(try post(n < 15 ? client : try process.client(), n, keep: n < 15).status == 202)
            if n % 10 == 9 {
                #expect(try count(backends) == 1)
                seen.insert(try database.connect().query(
                    "SELECT pid AS n FROM pg_stat_activity WHERE application_name = 'handle-business-event' AND datname = current_database()").first!.int("n"))
            }
        }
        #expect(seen.count == 1)
        #expect(try process.client().exchange(99, keep: false, path: "/default", query: "code=\(Self.key)", body: Array("[".utf8)).status == 400)
        #expect(try count(backends) == 1, "a refused request is no failure: the backend stays")
    }

    @Test("contract cases through FastCGIServer, a new connection per request and one kept connection",
          arguments: [false, true])
    func contractThroughHandlerServer(keep: Bool) throws {
        let server: any HandlerServer = FastCGIServer(databaseURL: database.url, environment: ["MLC_MASTER_KEY": TestEnvironment.masterKey],
                                                    keepConnection: keep)
        for name in BusinessEventHandlerTests.fixtures {
            let body = try TestEnvironment.fixture("business-events/\(name).json")
            let first = try server.send(handler: "handle-business-event", method: "POST", path: "/default", query: "code=\(Self.key)",
                                        headers: ["content-type": "application/json"], body: body)
            #expect(first.status == 202 && first.headers["content-type"] == "application/json", "\(name): \(first.bodyText)")
            let again = try server.send(handler: "handle-business-event", method: "POST", path: "/default", query: "code=\(Self.key)",
                                        headers: ["content-type": "application/json"], body: body)
            #expect(again.status == 200 && again.int("duplicates") == 1)
        }
        let unsupported = try server.send(handler: "handle-business-event", method: "POST", path: "/default", query: "code=\(Self.key)",
                                          headers: ["content-type": "text/plain"], body: Array("x".utf8))
        #expect(unsupported.status == 415)
        let challenge = try server.send(handler: "handle-slack-interaction", method: "POST", path: "/default", query: "",
                                        headers: ["content-type": "application/json"], body: Array(#"{"type":"url_verification","challenge":"c"}"#.utf8))
        #expect(challenge.status == 401, "unsigned: refused before parsing")
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE action = 'event.received'") == BusinessEventHandlerTests.fixtures.count)
    }
}
