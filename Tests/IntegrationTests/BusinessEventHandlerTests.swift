import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation
import Testing

/// `handle-business-event` run as a real process, as CGI and as a function event, against real PostgreSQL.
@Suite("handle-business-event", .needsDatabase)
struct BusinessEventHandlerTests {
    static let key = "test-event-key-0123456789"
    static let fixtures = ["purchase-order-confirmed", "vendor-invoice-posted", "vendor-payment-posted",
                           "workflow-element-completed", "workflow-work-item-vendor-invoice"]

    let database: TestDatabase
    let handler: HandlerInvocation

    init() throws {
        database = try TestDatabase()
        handler = HandlerInvocation(binary: TestEnvironment.binary("handle-business-event"), databaseURL: database.url)
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("default").status == 0)
        #expect(try cli.addConnection("contoso").status == 0)
        #expect(try cli.run(["route", "add", "default", "--event", "*", "--channel", "C0FINANCE"]).status == 0)
        #expect(try cli.run(["route", "add", "contoso", "--event", "Workflow_*_WorkItem", "--approver"]).status == 0)
    }

    func post(_ format: RequestFormat, _ body: [UInt8], connection: String = "default", key: String? = key,
              contentType: String? = "application/json") throws -> HandlerResponse {
        var headers: [String: String] = [:]
        if let contentType { headers["content-type"] = contentType }
        return try handler.send(format, path: "/\(connection)", query: key.map { "code=\($0)" } ?? "",
                                headers: headers, body: body)
    }

    func count(_ sql: SQL) throws -> Int {
        try database.connect().query(sql).first!.int("n")
    }

    @Test("every fixture is accepted once, queued and audited", arguments: RequestFormat.allCases)
    func everyFixture(format: RequestFormat) throws {
        for name in Self.fixtures {
            let body = try TestEnvironment.fixture("business-events/\(name).json")
            let first = try post(format, body)
            #expect(first.status == 202, "\(name): \(first.bodyText)")
            #expect(first.json?["accepted"] as? Int == 1)
            #expect(first.headers["content-type"] == "application/json")
            let again = try post(format, body)
            #expect(again.status == 200)
            #expect(again.int("duplicates") == 1 && again.int("accepted") == 0)
        }
        #expect(try count("SELECT count(*) AS n FROM business_event") == Self.fixtures.count)
        #expect(try count("SELECT count(*) AS n FROM job WHERE state = 'available'") == Self.fixtures.count)
        #expect(try count("SELECT count(*) AS n FROM job WHERE kind = 'workflow_event'") == 1)
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE action = 'event.received'") == Self.fixtures.count)
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE action = 'event.duplicate'") == Self.fixtures.count)
    }

    @Test("amounts are stored digit for digit and fields are matched case-insensitively")
    func exactAmountsAndCaseInsensitiveFields() throws {
        let body = Array("""
            {"businesseventid":"PurchaseOrderConfirmedBusinessEvent","EVENTID":"A-1","controlnumber":"42",
             "LegalEntity":"USMF","TransactionCurrencyAmount":12345678901234567.89,"eventtime":"/Date(1764403200000)/"}
            """.utf8)
        let response = try post(.cgi, body)
        #expect(response.status == 202)
        let row = try database.connect().query("""
            SELECT legal_entity, control_number, payload->>'TransactionCurrencyAmount' AS amount,
                   to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS t
            FROM business_event
            """).first!
        #expect(try row.string("legal_entity") == "usmf")
        #expect(try row.int64("control_number") == 42)
        #expect(try row.string("amount") == "12345678901234567.89")
        #expect(try row.string("t") == "2025-11-29 08:00:00")
    }

    @Test("the second dedupe key: same BusinessEventId, legal entity and ControlNumber under a new EventId")
    func dedupeOnControlNumber() throws {
        let original = try TestEnvironment.fixture("business-events/vendor-invoice-posted.json")
        #expect(try post(.cgi, original).status == 202)
        let text = String(decoding: original, as: UTF8.self)
            .replacingOccurrences(of: "9E0B7D21-6A3C-4F45-8B12-77C0D4E5A6B1", with: "11111111-2222-3333-4444-555555555555")
            .replacingOccurrences(of: "\"usmf\"", with: "\"USMF\"")
        let resent = try post(.functionEvent, Array(text.utf8))
        #expect(resent.status == 200)
        #expect(resent.int("duplicates") == 1)
        #expect(try count("SELECT count(*) AS n FROM job") == 1)
    }

    @Test("dedupe is per connection")
    func dedupePerConnection() throws {
        let body = try TestEnvironment.fixture("business-events/purchase-order-confirmed.json")
        #expect(try post(.cgi, body, connection: "default").status == 202)
        let other = try post(.cgi, body, connection: "contoso")
        #expect(other.status == 202)
        #expect(other.int("ignored") == 1, "contoso routes only work items")
        #expect(try count("SELECT count(*) AS n FROM business_event") == 2)
    }

    @Test("an array is stored whole, with duplicates inside it counted")
    func arrays() throws {
        let po = try TestEnvironment.fixture("business-events/purchase-order-confirmed.json")
        let inv = try TestEnvironment.fixture("business-events/vendor-invoice-posted.json")
        let test = try TestEnvironment.fixture("business-events/endpoint-test.json")
        let body = Array("[".utf8) + po + Array(",".utf8) + inv + Array(",".utf8) + po + Array(",".utf8) + test + Array("]".utf8)
        let response = try post(.functionEvent, body)
        #expect(response.status == 202)
        #expect(response.int("accepted") == 2 && response.int("duplicates") == 1 && response.int("ignored") == 0)
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE action = 'event.test'") == 1)
    }

    @Test("one invalid element refuses the whole array", arguments: RequestFormat.allCases)
    func arrayAllOrNothing(format: RequestFormat) throws {
        let po = try TestEnvironment.fixture("business-events/purchase-order-confirmed.json")
        let body = Array("[".utf8) + po + Array(#",{"BusinessEventId":"X","EventId":"E"}]"#.utf8)
        let response = try post(format, body)
        #expect(response.status == 400)
        #expect(response.bodyText.contains("ControlNumber"))
        #expect(try count("SELECT count(*) AS n FROM business_event") == 0)
        #expect(try count("SELECT count(*) AS n FROM job") == 0)
    }

    @Test("the endpoint test event is acknowledged, audited and never stored", arguments: RequestFormat.allCases)
    func endpointTest(format: RequestFormat) throws {
        let response = try post(format, try TestEnvironment.fixture("business-events/endpoint-test.json"))
        #expect(response.status == 200)
        #expect(response.int("accepted") == 0 && response.int("duplicates") == 0 && response.int("ignored") == 0)
        #expect(try count("SELECT count(*) AS n FROM business_event") == 0)
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE action = 'event.test'") == 1)
    }

    @Test("an event with no matching route is stored, counted as ignored and not queued")
    func unroutedEventIgnored() throws {
        let response = try post(.cgi, try TestEnvironment.fixture("business-events/vendor-payment-posted.json"), connection: "contoso")
        #expect(response.status == 202)
        #expect(response.int("ignored") == 1 && response.int("accepted") == 0)
        #expect(try count("SELECT count(*) AS n FROM business_event WHERE disposition = 'ignored'") == 1)
        #expect(try count("SELECT count(*) AS n FROM job") == 0)
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE action = 'event.ignored'") == 1)
    }

    @Test("a workflow completion needs no route")
    func workflowCompletionQueuedWithoutRoute() throws {
        let response = try post(.cgi, try TestEnvironment.fixture("business-events/workflow-element-completed.json"), connection: "contoso")
        #expect(response.status == 202)
        #expect(response.int("accepted") == 1)
        #expect(try count("SELECT count(*) AS n FROM job WHERE kind = 'workflow_event'") == 1)
    }

    @Test("wrong key, missing key and unknown connection are the same 401", arguments: RequestFormat.allCases)
    func unauthorized(format: RequestFormat) throws {
        let body = try TestEnvironment.fixture("business-events/purchase-order-confirmed.json")
        let wrong = try post(format, body, key: "not-the-key")
        let missing = try post(format, body, key: nil)
        let unknown = try post(format, body, connection: "nosuch")
        for response in [wrong, missing, unknown] {
            #expect(response.status == 401)
            #expect(response.bodyText == #"{"error":"unauthorized"}"#)
            #expect(!response.bodyText.contains("not-the-key"))
        }
        #expect(try count("SELECT count(*) AS n FROM business_event") == 0)
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE action = 'request.rejected'") == 0, "not one row each")
        #expect(try count("SELECT coalesce(sum(count), 0)::int AS n FROM refusal_count WHERE status = 401") == 3)
        #expect(try count("SELECT count(*) AS n FROM refusal_count WHERE connection = '(unknown)'") == 1)
    }

    @Test("checks run in order: method, size, key, content type, JSON", arguments: RequestFormat.allCases)
    func errorStatusesInOrder(format: RequestFormat) throws {
        let get = try handler.send(format, method: "GET", path: "/default", query: "code=wrong")
        #expect(get.status == 405)
        #expect(get.headers["allow"] == "POST")

        let huge = [UInt8](repeating: UInt8(ascii: " "), count: (1 << 20) + 1)
        let tooLarge = try post(format, huge, key: "wrong")
        #expect(tooLarge.status == 413)

        let wrongType = try post(format, Array("x".utf8), key: "wrong", contentType: "text/plain")
        #expect(wrongType.status == 401)
        let textPlain = try post(format, Array("x".utf8), contentType: "text/plain")
        #expect(textPlain.status == 415)
        let charset = try post(format, try TestEnvironment.fixture("business-events/purchase-order-confirmed.json"),
                               contentType: "application/json; charset=utf-8")
        #expect(charset.status == 202)
        let noType = try post(format, try TestEnvironment.fixture("business-events/vendor-invoice-posted.json"), contentType: nil)
        #expect(noType.status == 202)

        for (body, message) in [("{\"BusinessEventId\":", "malformed JSON"), ("{}", "missing BusinessEventId"),
                                (#"{"BusinessEventId":"X","ControlNumber":1}"#, "missing EventId"),
                                (#"{"BusinessEventId":"X","EventId":"","ControlNumber":1}"#, "EventId"),
                                (#"{"BusinessEventId":"X","EventId":"E"}"#, "missing ControlNumber"),
                                (#"{"BusinessEventId":"X","EventId":"E","ControlNumber":1.5}"#, "ControlNumber"),
                                (#"{"BusinessEventId":"X","EventId":"E","ControlNumber":1,"EventTime":"yesterday"}"#, "EventTime"),
                                ("[]", "empty"), ("42", "object")] {
            let response = try post(format, Array(body.utf8))
            #expect(response.status == 400, "\(body)")
            #expect(response.bodyText.contains(message), "\(response.bodyText)")
        }
    }

    @Test("a CGI body over 1 MiB is refused from CONTENT_LENGTH alone, without reading it")
    func oversizedCGINotRead() throws {
        let response = try handler.send(.cgi, path: "/default", query: "code=\(Self.key)", body: [], declaredLength: 50 << 20)
        #expect(response.status == 413)
    }

    @Test("PostgreSQL unreachable answers 503 with Retry-After", arguments: RequestFormat.allCases)
    func databaseDown(format: RequestFormat) throws {
        let down = HandlerInvocation(binary: handler.binary, databaseURL: "postgresql:///x?host=/nonexistent-socket-dir")
        let response = try down.send(format, path: "/default", query: "code=\(Self.key)",
                                     body: try TestEnvironment.fixture("business-events/purchase-order-confirmed.json"))
        #expect(response.status == 503)
        #expect(response.headers["retry-after"] != nil)
        #expect(!response.bodyText.contains(Self.key))
    }

    @Test("missing configuration answers 500 configuration and exits 78", arguments: RequestFormat.allCases)
    func configurationError(format: RequestFormat) throws {
        let broken = HandlerInvocation(binary: handler.binary, databaseURL: "", extraEnvironment: ["MLC_LOG_LEVEL": "info"])
        let response = try broken.send(format, path: "/default", body: Array("{}".utf8))
        #expect(response.status == 500)
        #expect(response.bodyText == #"{"error":"configuration"}"#)
        #expect(response.exitStatus == 78)
        #expect(response.stderr.contains("MLC_DATABASE_URL"))
    }

    @Test("logs never carry the key or the body")
    func logsAreClean() throws {
        let noisy = HandlerInvocation(binary: handler.binary, databaseURL: database.url, extraEnvironment: ["MLC_LOG_LEVEL": "debug"])
        let body = try TestEnvironment.fixture("business-events/purchase-order-confirmed.json")
        let ok = try noisy.send(.cgi, path: "/default", query: "code=\(Self.key)", body: body)
        let bad = try noisy.send(.cgi, path: "/default", query: "code=\(Self.key)", body: Array("{\"secret-ish\": ".utf8))
        for response in [ok, bad] {
            #expect(!response.stderr.contains(Self.key))
            #expect(!response.stderr.contains("USMF-000142"))
            #expect(!response.stderr.contains("secret-ish"))
        }
        #expect(ok.stderr.contains("\"msg\":\"events stored\""))
    }
}
