import Core
import Domain
import Foundation
import Testing

/// `ml-connector status [--json]` (DESIGN.md §6.2) and its exit status for monitors.
@Suite("status", .serialized, .needsDatabase)
struct StatusTests {
    static func status(_ cli: CLI) throws -> (status: Int32, json: JSONValue, text: String) {
        let json = try cli.run(["status", "--json"])
        let text = try cli.run(["status"])
        #expect(json.status == text.status)
        return (json.status, try JSONParser.parse(json.stdout), text.stdoutText)
    }

    @Test("healthy after a delivery: counts per state, last event and post per connection, exit 0")
    func healthy() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "PurchaseOrderConfirmedBusinessEvent", "--channel", "C0PURCHASING")
        try h.route("--event", "Workflow_*_WorkItem", "--approver")
        #expect(try h.deliver(fixture: "purchase-order-confirmed") == 202)
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        try h.drain()

        let (status, json, text) = try Self.status(h.cli)
        #expect(status == 0, "\(text)")
        #expect(json["healthy"] == .bool(true))
        #expect(json["jobs"]?["completed"]?.int64Value ?? 0 >= 2)
        #expect(json["jobs"]?["available"]?.int64Value == 0)
        #expect(json["oldest_due_seconds"] == .null)
        #expect(json["discarded"]?.int64Value == 0)
        #expect(json["approvals"]?["pending"]?.int64Value == 1)
        let connection = try #require(json["connections"]?.arrayValue?.first)
        #expect(connection["name"]?.stringValue == "contoso")
        #expect(connection["last_event_at"]?.stringValue?.hasSuffix("Z") == true)
        #expect(connection["last_post_at"]?.stringValue?.hasSuffix("Z") == true)
        #expect(connection["last_call"]?["outcome"]?.stringValue == "ok")
        #expect(text.contains("healthy") && text.contains("approvals   pending 1"))
        let retention = json["retention"]?.arrayValue ?? []
        #expect(retention.contains { $0["kind"]?.stringValue == "audit" && $0["days"]?.int64Value == 400 })
        #expect(text.contains("retention   audit 400d"))
        #expect(try h.cli.run(["retention", "set", "completed-jobs", "14"]).status == 0)
        #expect(try h.cli.run(["status"]).stdoutText.contains("completed-jobs 14d (set)"))
        #expect(text.contains("CONNECTION") && text.contains("contoso"))
    }

    @Test("unhealthy: a dead worker's lease, a job due over 5 minutes, a failed last outbound call; exit 1 with each reason")
    func unhealthy() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "PurchaseOrderConfirmedBusinessEvent", "--channel", "C0PURCHASING")
        // Slack refuses the token: the post is discarded and the connection's last outbound call failed.
        try h.sandbox.fault(service: "slack", match: "chat.postMessage", slackError: "invalid_auth")
        #expect(try h.deliver(fixture: "purchase-order-confirmed") == 202)
        _ = try h.processJob()
        var (status, json, text) = try Self.status(h.cli)
        #expect(status == 1)
        #expect(json["healthy"] == .bool(false))
        #expect(json["discarded"]?.int64Value == 1)
        let problems = json["problems"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(problems.count == 1 && problems.first?.contains("connection contoso: its last outbound call failed (slack.post") == true,
                "\(problems)")
        #expect(text.contains("UNHEALTHY") && text.contains("ml-connector ping contoso"))

        // A successful call afterwards makes it healthy again.
        #expect(try h.cli.run(["replay", "--all-discarded"]).status == 0)
        try h.drain()
        (status, json, text) = try Self.status(h.cli)
        #expect(status == 0, "\(text)")

        // A job due for 10 minutes and a running job whose lease ran out an hour ago.
        let db = try h.database.connect()
        try db.query("INSERT INTO job (kind, run_at) VALUES ('deliver_event', now() - interval '10 minutes')")
        try db.query("""
            INSERT INTO job (kind, state, attempt, locked_by, locked_until, attempted_at)
            VALUES ('deliver_event', 'running', 1, 'worker-that-died', now() - interval '1 hour', now() - interval '61 minutes')
            """)
        (status, json, text) = try Self.status(h.cli)
        #expect(status == 1)
        #expect((json["oldest_due_seconds"]?.int64Value ?? 0) >= 600)
        #expect(json["expired_leases"]?.int64Value == 1)
        let reasons = json["problems"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(reasons.contains { $0.contains("past their lease") })
        #expect(reasons.contains { $0.contains("due for more than 5 minutes") })
    }

    @Test("the database down: a clear message, exit 69 (EX_UNAVAILABLE)")
    func databaseDown() throws {
        let cli = CLI(databaseURL: "postgresql://127.0.0.1:9/none?connect_timeout=2")
        let result = try cli.run(["status"])
        #expect(result.status == 69)
        #expect(!result.stderr.isEmpty && result.stdoutText.isEmpty)
    }
}
