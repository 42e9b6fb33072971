import Core
import Interactions
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `ml-connector-server` (DESIGN.md §5.3), the built binary on a free loopback port with real PostgreSQL: both handlers
/// with the answers of §5, the Azure prefix, concurrency within the pool, `/healthz`, 405/404/413, the port rules,
/// `--worker`, configuration errors and SIGTERM.
@Suite("ml-connector-server", .serialized, .needsDatabase)
struct ServerTests {
    static let eventKey = DeliveryHarness.eventKey

    static func event(_ id: String, control: Int) -> [UInt8] {
        Array(("{\"BusinessEventId\":\"PurchaseOrderConfirmedBusinessEvent\",\"BusinessEventLegalEntity\":\"usmf\","
            + "\"ControlNumber\":\(control),\"EventId\":\"\(id)\",\"EventTime\":\"/Date(1764403200000)/\","
            + "\"PurchaseOrderNumber\":\"USMF-000142\",\"VendorAccount\":\"US-104\"}").utf8)
    }

    static func postEvent(_ server: ServerProcess, _ body: [UInt8], path: String = "/events/contoso") throws -> HandlerResponse {
        try server.request("POST", path, query: "code=\(eventKey)", headers: ["Content-Type": "application/json"], body: body)
    }

    /// A TCP port free right now on 127.0.0.1.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw HarnessFailure(message: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test("a business event through the server is stored and answered 202, also under Azure's /api prefix")
    func businessEvent() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0PURCHASING")
        let server = try ServerProcess(databaseURL: h.database.url)
        let first = try Self.postEvent(server, Self.event("srv-1", control: 1))
        #expect(first.status == 202)
        #expect(first.json?["accepted"] as? Int == 1)
        let azure = try Self.postEvent(server, Self.event("srv-2", control: 2), path: "/api/events/contoso")
        #expect(azure.status == 202)
        let again = try Self.postEvent(server, Self.event("srv-2", control: 2), path: "/api/events/contoso")
        #expect(again.status == 200)
        #expect(again.json?["duplicates"] as? Int == 1)
        #expect(try h.count("SELECT count(*) AS n FROM business_event") == 2)
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE state = 'available'") == 2)
        let wrongKey = try server.request("POST", "/events/contoso", query: "code=wrong", headers: ["Content-Type": "application/json"],
                                          body: Self.event("srv-3", control: 3))
        #expect(wrongKey.status == 401)
        #expect(wrongKey.bodyText == #"{"error":"unauthorized"}"#)
    }

    @Test("a signed Approve click through the server queues the decision")
    func slackClick() throws {
        let (h, _, ts) = try InteractionTests.withApprovalCard()
        let server = try ServerProcess(databaseURL: h.database.url)
        let signed = try h.sandbox.interaction(channel: "D04ALICIADM", ts: ts, actionID: "mlc.approve", user: "U04ALICIA")
        var headers: [String: String] = [:]
        for (name, value) in signed.headers { headers[name.lowercased()] = value }
        let response = try server.send(handler: "handle-slack-interaction", method: "POST", path: "/contoso", query: "",
                                       headers: headers, body: signed.body)
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(try InteractionTests.state(h) == "deciding")
        let unsigned = try server.request("POST", "/api/slack/contoso", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                          body: signed.body)
        #expect(unsigned.status == 401)
    }

    @Test("20 concurrent requests are all answered right on no more backends than the pool")
    func concurrentRequests() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0PURCHASING")
        let server = try ServerProcess(databaseURL: h.database.url, arguments: ["--port", "0", "--pool", "3"])
        let statuses = StatusLog()
        let group = DispatchGroup()
        for index in 0..<20 {
            group.enter()
            Thread {
                let status = (try? Self.postEvent(server, Self.event("burst-\(index)", control: 100 + index)).status) ?? -1
                statuses.record(status)
                group.leave()
            }.start()
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        #expect(statuses.values.sorted() == Array(repeating: 202, count: 20))
        #expect(try h.count("SELECT count(*) AS n FROM business_event") == 20)
        let backends = try h.count("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'ml-connector-server' AND datname = current_database()")
        #expect(backends >= 1 && backends <= 3)
    }

    @Test("/healthz answers 200 while PostgreSQL answers, 503 when it is down, 200 again once it is back")
    func health() throws {
        let cluster = try PrivateCluster()
        let server = try ServerProcess(databaseURL: cluster.url)
        #expect(try server.request("GET", "/healthz").status == 200)
        try cluster.stop()
        let down = try server.request("GET", "/healthz")
        #expect(down.status == 503)
        #expect(down.headers["retry-after"] != nil)
        try cluster.start()
        #expect(try server.request("GET", "/healthz").status == 200)
        #expect(try server.request("POST", "/healthz").status == 405)
    }

    @Test("other methods are 405 with Allow: POST, other paths 404, bodies over 1 MiB 413 without being read")
    func refusals() throws {
        let database = try TestDatabase()
        let server = try ServerProcess(databaseURL: database.url)
        for path in ["/events/contoso", "/api/slack/contoso"] {
            let response = try server.request("GET", path)
            #expect(response.status == 405)
            #expect(response.headers["allow"] == "POST")
            #expect(response.bodyText == #"{"error":"method not allowed"}"#)
        }
        for path in ["/", "/contoso", "/events/a/b", "/api/other/contoso"] {
            #expect(try server.request("POST", path).status == 404, "\(path)")
        }
        let oversized = try server.request("POST", "/events/contoso", headers: ["Content-Type": "application/json"],
                                           body: [UInt8](repeating: 0x20, count: (1 << 20) + 1))
        #expect(oversized.status == 413)
        #expect(oversized.bodyText == #"{"error":"request body larger than 1 MiB"}"#)

        // Declared 2 GB, 64 KiB sent: answered at once, the connection ended, the rest never read.
        let declared = try RawHTTP(port: server.port)
        declared.send("POST /events/contoso HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000000\r\n\r\n")
        declared.send([UInt8](repeating: 0x20, count: 65536))
        let (bytes, closed) = declared.readToEnd()
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 413"))
        #expect(closed)

        // Chunked, no length declared: refused once it passes 1 MiB.
        let chunked = try RawHTTP(port: server.port)
        chunked.send("POST /slack/contoso HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = [UInt8](repeating: 0x20, count: 256 * 1024)
        for _ in 0..<5 { chunked.send("40000\r\n"); chunked.send(chunk); chunked.send("\r\n") }
        let answer = chunked.readToEnd()
        #expect(String(decoding: answer.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 413"))
        #expect(try server.request("GET", "/healthz").status == 200)
    }

    @Test("the port comes from --port, else FUNCTIONS_CUSTOMHANDLER_PORT, else PORT; 127.0.0.1 unless --host")
    func portRules() throws {
        let database = try TestDatabase()
        let (azure, plain) = (try Self.freePort(), try Self.freePort())
        let both = try ServerProcess(databaseURL: database.url, arguments: [],
                                     environment: ["FUNCTIONS_CUSTOMHANDLER_PORT": String(azure), "PORT": String(plain)])
        #expect(both.baseURL == "http://127.0.0.1:\(azure)")
        #expect(try both.request("GET", "/healthz").status == 200)
        let port = try ServerProcess(databaseURL: database.url, arguments: [], environment: ["PORT": String(plain)])
        #expect(port.baseURL == "http://127.0.0.1:\(plain)")
        let flag = try Self.freePort()
        let explicit = try ServerProcess(databaseURL: database.url, arguments: ["--port", String(flag), "--host", "127.0.0.1"],
                                         environment: ["PORT": "1"])
        #expect(explicit.baseURL == "http://127.0.0.1:\(flag)")
    }

    @Test("Hummingbird and SwiftNIO are linked into ml-connector-server only, never into a handler or process-job")
    func linkage() throws {
        func links(_ binary: String, _ module: String) throws -> Bool {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: TestEnvironment.binary(binary)))
            return bytes.range(of: Data(module.utf8)) != nil
        }
        // Mangled module names as they appear in symbols.
        for module in ["11Hummingbird", "8NIOPosix"] {
            for binary in ["handle-business-event", "handle-slack-interaction", "process-job"] {
                #expect(try !links(binary, module), "\(binary) links \(module)")
            }
            #expect(try links("ml-connector-server", module))
        }
    }

    @Test("a configuration error names the variable and exits 78")
    func configurationError() throws {
        let database = try TestDatabase()
        for (environment, variable) in [(["MLC_DATABASE_URL": database.url], "MLC_MASTER_KEY"),
                                        (["MLC_DATABASE_URL": database.url, "MLC_MASTER_KEY": TestEnvironment.masterKey, "PORT": "http"], "PORT")] {
            let result = try ProcessRunner.run(TestEnvironment.binary("ml-connector-server"), environment: environment)
            #expect(result.status == 78)
            #expect(result.stderr.contains(variable))
        }
    }

    @Test("--worker 1: a delivered event becomes a Slack post without a separate process-job")
    func worker() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "PurchaseOrderConfirmed*", "--channel", "C0PURCHASING")
        let server = try ServerProcess(databaseURL: h.database.url, arguments: ["--port", "0", "--worker", "1"],
                                       environment: h.processJobEnvironment)
        #expect(try Self.postEvent(server, TestEnvironment.fixture("business-events/purchase-order-confirmed.json")).status == 202)
        let deadline = Date().addingTimeInterval(30)
        while try h.posts(channel: "C0PURCHASING").isEmpty && Date() < deadline { usleep(100_000) }
        #expect(try h.posts(channel: "C0PURCHASING").count == 1)
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE state = 'completed'") >= 1)
        #expect(server.terminate() == 0)
    }

    @Test("SIGTERM: new connections are refused, a request in hand is still answered, exit 0")
    func sigterm() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0PURCHASING")
        let server = try ServerProcess(databaseURL: h.database.url, arguments: ["--port", "0", "--worker", "1"],
                                       environment: h.processJobEnvironment)
        let body = Self.event("in-hand", control: 77)
        let inHand = try RawHTTP(port: server.port)
        inHand.send("POST /events/contoso?code=\(Self.eventKey) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\n\r\n")
        inHand.send(Array(body.prefix(20)))
        usleep(200_000)
        kill(server.process.pid, SIGTERM)
        usleep(500_000)
        #expect(throws: (any Error).self) { try RawHTTP(port: server.port) }
        inHand.send(Array(body.dropFirst(20)))
        let answer = inHand.readResponse()
        #expect(answer.status == 202)
        #expect(server.terminate() == 0)
        #expect(try h.count("SELECT count(*) AS n FROM business_event WHERE event_id = 'in-hand'") == 1)
    }
}

/// The statuses the concurrent requests got, from their threads.
private final class StatusLog: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Int] = []

    func record(_ status: Int) { lock.withLock { recorded.append(status) } }
    var values: [Int] { lock.withLock { recorded } }
}
