import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation
import Testing

/// Dynamics → Slack end to end: real binaries, the sandbox, real PostgreSQL.
@Suite("delivery to Slack", .serialized, .needsDatabase)
struct DeliveryTests {
    @Test("every catalog event kind becomes the right card in the right place; a workflow completion closes the approval card")
    func everyKind() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "PurchaseOrderConfirmedBusinessEvent", "--channel", "C0PURCHASING")
        try h.route("--event", "VendorInvoicePostedBusinessEvent", "--channel", "C0AP")
        try h.route("--event", "VendorPaymentPostedBusinessEvent", "--channel", "C0PAYMENTS")
        try h.route("--event", "Workflow_*_WorkItem", "--approver", "--fallback-channel", "C0APPROVALS")
        for name in ["purchase-order-confirmed", "vendor-invoice-posted", "vendor-payment-posted", "workflow-work-item-vendor-invoice"] {
            #expect(try h.deliver(fixture: name) == 202)
        }
        try h.drain()

        let po = try #require(try h.posts(channel: "C0PURCHASING").first)
        #expect(DeliveryHarness.allText(po).contains("48,250.75 USD"))
        #expect(DeliveryHarness.allText(po).contains("Fabrikam Supplies"))
        #expect(DeliveryHarness.allText(po).contains("10 Dec 2025"))
        #expect(try DeliveryHarness.allText(#require(try h.posts(channel: "C0AP").first)).contains("12,500.00 USD"))
        #expect(try DeliveryHarness.allText(#require(try h.posts(channel: "C0PAYMENTS").first)).contains("INV-88213"))

        let approval = try #require(try h.posts(channel: "D04ALICIADM").first)
        let text = DeliveryHarness.allText(approval)
        #expect(text.contains("mlc.approve") && text.contains("mlc.reject"))
        let reference = try h.database.connect().query("SELECT reference FROM approval").first!.string("reference")
        #expect(text.contains("\"value\":\"\(reference)\""))
        #expect(try h.count("SELECT count(*) AS n FROM approval WHERE message_ts IS NOT NULL AND channel_id = 'D04ALICIADM'") == 1)

        // Every company-specific OData read said cross-company=true.
        let reads = try h.sandbox.requests().filter { ($0["path"] as? String ?? "").contains("dataAreaId") }
        #expect(!reads.isEmpty)
        #expect(reads.allSatisfy { ($0["query"] as? String ?? "").contains("cross-company=true") })

        // F&O completes the work item another way: the workflow event makes the job read it, the card is closed.
        _ = try h.sandbox.sendJSON("POST", "/_sandbox/workitems/3D8F6A2B-91C4-4E7A-B0D5-6C1E2F3A4B5C/complete", #"{"outcome":"Approve"}"#)
        #expect(try h.deliver(fixture: "workflow-element-completed") == 202)
        try h.drain()
        let update = try #require(try h.sandbox.messages().first { $0["method"] as? String == "chat.update" })
        #expect(update["channel"] as? String == "D04ALICIADM")
        #expect(!DeliveryHarness.allText(update).contains("mlc.approve"))
        #expect(try h.count("SELECT count(*) AS n FROM approval WHERE state = 'decided_in_fo'") == 1)
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE state <> 'completed'") == 0)
    }

    @Test("an approver not in Slack gets the card in the fallback channel, with a note")
    func fallbackChannel() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "Workflow_*_WorkItem", "--approver", "--fallback-channel", "C0APPROVALS")
        // F&O's address for the work item's user is nobody in Slack.
        try h.sandbox.putEntity("SystemUsers", #"{"UserID":"alicia","UserName":"Alicia Thornton","Email":"nobody@contoso.example"}"#)
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        try h.drain()
        let card = try #require(try h.posts(channel: "C0APPROVALS").first)
        #expect(DeliveryHarness.allText(card).contains("nobody@contoso.example"))
        #expect(try h.count("SELECT count(*) AS n FROM slack_user WHERE slack_user_id IS NULL") == 1)
    }

    @Test("a duplicate delivery posts once")
    func duplicatesPostOnce() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0FINANCE")
        #expect(try h.deliver(fixture: "purchase-order-confirmed") == 202)
        #expect(try h.deliver(fixture: "purchase-order-confirmed") == 200)
        #expect(try h.deliver(fixture: "purchase-order-confirmed", replacing: [("4C1F2A7E-1B2D-4E8F-9A51-0D2C6B7E3F10", "NEW-EVENT-ID")]) == 200)
        try h.drain()
        try h.drain()
        #expect(try h.posts().count == 1)
    }

    @Test("mention syntax from F&O is escaped; amounts beyond Double are shown digit for digit")
    func escapingAndExactAmounts() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0FINANCE")
        try h.sandbox.putEntity("VendorsV2", #"{"dataAreaId":"usmf","VendorAccountNumber":"US-104","VendorOrganizationName":"<!channel> & <@U123> Sons"}"#)
        #expect(try h.deliver(fixture: "purchase-order-confirmed", replacing: [("48250.75", "12345678901234567.89")]) == 202)
        try h.drain()
        let text = DeliveryHarness.allText(try #require(try h.posts().first))
        #expect(text.contains("12,345,678,901,234,567.89 USD"))
        #expect(text.contains("&lt;!channel&gt; &amp; &lt;@U123&gt; Sons"))
        #expect(!text.contains("<!channel>") && !text.contains("<@U123>"))
    }

    @Test("Slack 429 and F&O 429 / 503 are retried through the queue and the card is posted exactly once")
    func rateLimitsAndOutages() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0FINANCE")
        try h.sandbox.fault(service: "odata", match: "PurchaseOrderHeadersV2", status: 429, retryAfter: 1, count: 1)
        try h.sandbox.fault(service: "odata", match: "VendorsV2", status: 503, count: 1)
        try h.sandbox.fault(service: "slack", match: "chat.postMessage", status: 429, retryAfter: 1, count: 1)
        #expect(try h.deliver(fixture: "purchase-order-confirmed") == 202)
        try h.drain()
        #expect(try h.posts().count == 1)
        #expect(try h.count("SELECT count(*) AS n FROM audit_log WHERE action = 'job.snooze'") == 2)
        #expect(try h.count("SELECT count(*) AS n FROM audit_log WHERE action = 'job.retry'") == 1)
        // A snooze does not spend an attempt: the delivery succeeded on its second counted attempt.
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE kind = 'deliver_event' AND attempt = 2 AND snoozes = 1") == 1)
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE kind = 'post_message' AND attempt = 1 AND snoozes = 1") == 1)
    }

    @Test("a permanent Slack error discards the job with a readable audit entry; replay makes it available again")
    func permanentErrorDiscards() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0NOSUCH")
        #expect(try h.deliver(fixture: "vendor-invoice-posted") == 202)
        try h.drain()
        #expect(try h.posts().isEmpty)
        let discarded = try h.cli.run(["jobs", "--state", "discarded", "--json"])
        #expect(discarded.stdoutText.contains("channel_not_found"))
        let audit = try h.cli.run(["audit", "--event", "9E0B7D21-6A3C-4F45-8B12-77C0D4E5A6B1"]).stdoutText
        #expect(audit.contains("job.discard") && audit.contains("the channel does not exist"))
        #expect(!audit.contains("xoxb-sandbox") && !audit.contains("127.0.0.1"))
        let id = try #require(try JSONSerialization.jsonObject(with: Data(discarded.stdoutText.split(separator: "\n")[0].utf8)) as? [String: Any])["id"] as? Int
        #expect(try h.cli.run(["replay", String(id!)]).status == 0)
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE state = 'available'") == 1)
        #expect(try h.count("SELECT count(*) AS n FROM audit_log WHERE action = 'job.replay'") == 1)
    }

    @Test("a worker that died mid-job: its job is picked up after the lease and posted once")
    func leaseExpiry() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0FINANCE")
        #expect(try h.deliver(fixture: "purchase-order-confirmed") == 202)
        // Exactly what a worker killed after claiming leaves behind.
        try h.database.connect().query("""
            UPDATE job SET state = 'running', attempt = 1, attempted_at = now() - interval '2 minutes',
                           locked_by = 'dead-host:1', locked_until = now() - interval '1 second'
            """)
        try h.drain()
        #expect(try h.posts().count == 1)
        #expect(try h.count("SELECT count(*) AS n FROM job_attempt WHERE outcome = 'lease_expired'") == 1)
        // The dead worker's late completion changes nothing.
        let late = try h.database.connect().query(
            "UPDATE job SET state = 'completed' WHERE locked_by = 'dead-host:1' AND state = 'running' RETURNING id")
        #expect(late.rowCount == 0)
    }

    @Test("an expired token is refreshed once by two concurrent workers (no stampede)")
    func tokenRefreshWithoutStampede() async throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0FINANCE")
        try h.sandbox.config(pacing: false)
        let po = String(decoding: try TestEnvironment.fixture("business-events/purchase-order-confirmed.json"), as: UTF8.self)
        func batch(_ prefix: String, _ count: Int) -> [UInt8] {
            Array(("[" + (0..<count).map { i in
                po.replacingOccurrences(of: "4C1F2A7E-1B2D-4E8F-9A51-0D2C6B7E3F10", with: "\(prefix)-\(i)")
                    .replacingOccurrences(of: "5637145326", with: "\(prefix == "a" ? 7 : 8)00000\(i)")
            }.joined(separator: ",") + "]").utf8)
        }
        #expect(try h.deliver(batch("a", 2)) == 202)
        try h.drain(environment: ["MLC_SLACK_CHANNEL_INTERVAL_MS": "0"])
        func tokenRequests() throws -> Int { try h.sandbox.requests().filter { $0["service"] as? String == "entra" }.count }
        let before = try tokenRequests()
        #expect(before == 1)
        // The cached token expires now (the database clock is the only clock): no sleeping against a lifetime.
        try h.database.connect().query("UPDATE access_token SET expires_at = now() - interval '1 second'")
        #expect(try h.deliver(batch("b", 30)) == 202)
        async let first = Task.detached { try h.processJob(environment: ["MLC_SLACK_CHANNEL_INTERVAL_MS": "0"]) }.value
        async let second = Task.detached { try h.processJob(environment: ["MLC_SLACK_CHANNEL_INTERVAL_MS": "0"]) }.value
        let runs = try await [first, second]
        #expect(runs.allSatisfy { $0.status == 0 })
        try h.drain(environment: ["MLC_SLACK_CHANNEL_INTERVAL_MS": "0"])
        #expect(try h.posts().count == 32)
        #expect(try tokenRequests() == before + 1, "one refresh after expiry, whatever the number of workers")
    }

    @Test("two workers drain 20 cards for 2 channels, never two posts to one channel within a second")
    func pacingAcrossWorkers() async throws {
        let h = try DeliveryHarness()
        try h.route("--event", "PurchaseOrderConfirmedBusinessEvent", "--channel", "C0FINANCE")
        try h.route("--event", "VendorInvoicePostedBusinessEvent", "--channel", "C0AP")
        let po = String(decoding: try TestEnvironment.fixture("business-events/purchase-order-confirmed.json"), as: UTF8.self)
        let invoice = String(decoding: try TestEnvironment.fixture("business-events/vendor-invoice-posted.json"), as: UTF8.self)
        var events: [String] = []
        for i in 0..<10 {
            events.append(po.replacingOccurrences(of: "4C1F2A7E-1B2D-4E8F-9A51-0D2C6B7E3F10", with: "po-\(i)")
                .replacingOccurrences(of: "5637145326", with: "90000\(i)"))
            events.append(invoice.replacingOccurrences(of: "9E0B7D21-6A3C-4F45-8B12-77C0D4E5A6B1", with: "inv-\(i)")
                .replacingOccurrences(of: "5637145391", with: "91000\(i)"))
        }
        #expect(try h.deliver(Array(("[" + events.joined(separator: ",") + "]").utf8)) == 202)
        async let first = Task.detached { try h.processJob() }.value
        async let second = Task.detached { try h.processJob() }.value
        let runs = try await [first, second]
        #expect(runs.allSatisfy { $0.status == 0 })
        try h.drain()
        let posts = try h.posts()
        #expect(posts.count == 20)
        #expect(Set(posts.compactMap { $0["channel"] as? String }) == ["C0FINANCE", "C0AP"])
        // The guarantee is between claims, on the database clock: two posts to one channel start at least the
        // pacing interval apart, whichever worker made them (a post Slack still answered 429 is snoozed and retried).
        for channel in ["C0FINANCE", "C0AP"] {
            let starts = try h.database.connect().query("""
                SELECT (extract(epoch FROM a.started_at) * 1000)::bigint AS ms FROM job_attempt a JOIN job j ON j.id = a.job_id
                WHERE j.kind = 'post_message' AND j.args->>'channel' = \(channel) ORDER BY a.started_at
                """).rows.map { try $0.int64("ms") }
            #expect(starts.count == 10)
            for (a, b) in zip(starts, starts.dropFirst()) { #expect(b - a >= 1050, "\(channel): claims \(b - a) ms apart") }
        }
    }
}

@Suite("process-job --listen", .needsDatabase)
struct ListenTests {
    @Test("a listening worker picks up new work at once and stops cleanly on SIGTERM")
    func listen() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0FINANCE")
        let worker = try BackgroundProcess(TestEnvironment.binary("process-job"), arguments: ["--listen"], environment: h.processJobEnvironment)
        Thread.sleep(forTimeInterval: 0.5)
        let sent = Date()
        #expect(try h.deliver(fixture: "purchase-order-confirmed") == 202)
        while try h.posts().isEmpty && Date().timeIntervalSince(sent) < 10 { Thread.sleep(forTimeInterval: 0.02) }
        #expect(try h.posts().count == 1)
        #expect(Date().timeIntervalSince(sent) < 3, "woken by NOTIFY, not by the 5 s poll")
        let status = worker.terminate()
        #expect(status == 0, "\(worker.standardError)")
    }
}
