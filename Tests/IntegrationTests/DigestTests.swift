import Core
import Foundation
import Testing

/// Digests for notices (issue 12, item 5): a channel route with `--digest` collects its notices and posts them as one
/// message at its times (UTC) instead of one each, within Block Kit's limits (the sandbox rejects more than 50
/// blocks, as Slack does). The queue's clock is moved by backdating the digest job's `run_at`, as ReminderTests do.
/// Real binaries, the sandbox, PostgreSQL.
@Suite("digests", .serialized, .needsDatabase)
struct DigestTests {
    static let channel = "C0FINANCE"
    static let hour: TimeInterval = 3_600

    /// `HH:MM` in UTC, `hours` from now (far enough that no digest falls due while the test runs).
    static func time(inHours hours: Double) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "HH:mm"
        return formatter.string(from: Date().addingTimeInterval(hours * hour))
    }

    /// `count` purchase-order-confirmed events, each its own EventId and ControlNumber (`series` keeps batches apart),
    /// in one request.
    static func batch(_ series: Int, _ count: Int) throws -> [UInt8] {
        let po = String(decoding: try TestEnvironment.fixture("business-events/purchase-order-confirmed.json"), as: UTF8.self)
        return Array(("[" + (0..<count).map { i in
            po.replacingOccurrences(of: "4C1F2A7E-1B2D-4E8F-9A51-0D2C6B7E3F10", with: "po-\(series)-\(i)")
                .replacingOccurrences(of: "5637145326", with: String(9_000_000_000 + series * 1_000 + i))
        }.joined(separator: ",") + "]").utf8)
    }

    /// A connection whose purchase-order notices go to C0FINANCE as a digest at two times a few hours ahead.
    static func harness() throws -> DeliveryHarness {
        let h = try DeliveryHarness()
        try h.route("--event", "PurchaseOrderConfirmedBusinessEvent", "--channel", channel,
                    "--digest", "\(time(inHours: 6)),\(time(inHours: 3))")
        try h.sandbox.config(pacing: false)
        return h
    }

    /// Makes the waiting digests due now, as if the queue's clock had reached their time.
    static func arrive(_ h: DeliveryHarness) throws {
        try h.database.connect().query("UPDATE job SET run_at = now() WHERE kind = 'post_digest' AND state = 'available'")
    }

    static func digestJobs(_ h: DeliveryHarness, state: String? = nil) throws -> Int {
        try h.count("SELECT count(*) AS n FROM job WHERE kind = 'post_digest' AND (\(state)::text IS NULL OR state::text = \(state))")
    }

    static func sections(_ message: [String: Any]) -> [String] {
        (message["blocks"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "section" }
            .compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
    }

    @Test("60 notices on a digest route: one message, 45 sections and '…and 15 more', within Block Kit's limits, audited")
    func sixtyInOne() throws {
        let h = try Self.harness()
        #expect(try h.deliver(Self.batch(1, 60)) == 202)
        try h.drain()
        #expect(try h.posts().isEmpty, "nothing before the digest's time")
        #expect(try Self.digestJobs(h) == 1, "one digest job for 60 notices")
        #expect(try h.count("SELECT count(*) AS n FROM digest_item WHERE posted_job_id IS NULL") == 60)
        let runIn = try h.count("SELECT floor(extract(epoch FROM run_at - now()))::int AS n FROM job WHERE kind = 'post_digest'")
        #expect(abs(runIn - 3 * 3_600) <= 120, "queued for the nearer of the two times, about three hours ahead")

        try Self.arrive(h)
        try h.drain()
        let posts = try h.posts(channel: Self.channel)
        #expect(posts.count == 1)
        let digest = try #require(posts.first)
        let blocks = try #require(digest["blocks"] as? [[String: Any]])
        #expect(blocks.count <= 50)
        #expect(((blocks.first?["text"] as? [String: Any])?["text"] as? String ?? "").hasPrefix("60 notices since "))
        let sections = Self.sections(digest)
        #expect(sections.count == 46)
        #expect(sections.prefix(45).allSatisfy { $0.contains("mi=PurchTableListPage|") }, "each document linked to F&O")
        #expect(sections.last?.hasPrefix("_…and 15 more_") == true)
        #expect(DeliveryHarness.allText(digest).contains("48,250.75 USD"), "the amount as F&O's exact decimal")
        #expect((digest["text"] as? String ?? "").hasPrefix("60 notices since "))
        #expect(try h.count("SELECT count(*) AS n FROM digest_item WHERE posted_job_id IS NULL") == 0)
        #expect(try h.count("SELECT count(*) AS n FROM slack_message m JOIN job j ON j.id = m.job_id WHERE j.kind = 'post_digest'") == 1)
        let audit = try h.cli.run(["audit", "--connection", "contoso", "--json", "--limit", "1000"]).stdoutText
        #expect(audit.contains("digest.posted") && audit.contains("60 notices of route"), "\(audit.suffix(2000))")
        #expect(audit.contains("in the digest of"))

        // Running again posts nothing more.
        try Self.arrive(h)
        try h.drain()
        #expect(try h.posts().count == 1)
    }

    @Test("a retried delivery adds nothing; two workers post one digest")
    func twoWorkers() throws {
        let h = try Self.harness()
        #expect(try h.deliver(Self.batch(1, 20)) == 202)
        let workers = (0..<2).map { _ in ReminderTests.Worker(h) }
        #expect(workers.map { $0.wait() } == [0, 0])
        try h.drain()
        // The same deliveries again, as after a lost answer: no second item, no second job.
        try h.database.connect().query("UPDATE job SET state = 'available', run_at = now(), finalized_at = NULL WHERE kind = 'deliver_event'")
        try h.drain()
        #expect(try h.count("SELECT count(*) AS n FROM digest_item") == 20)
        #expect(try Self.digestJobs(h) == 1)

        try Self.arrive(h)
        let both = (0..<2).map { _ in ReminderTests.Worker(h) }
        #expect(both.map { $0.wait() } == [0, 0])
        try h.drain()
        #expect(try h.posts(channel: Self.channel).count == 1)
        #expect(Self.sections(try #require(try h.posts(channel: Self.channel).first)).count == 20)
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE kind = 'post_digest' AND attempt = 1 AND state = 'completed'") == 1)
    }

    @Test("the next digest posts only the notices that came after the last one")
    func nextSlot() throws {
        let h = try Self.harness()
        #expect(try h.deliver(Self.batch(1, 3)) == 202)
        try h.drain()
        try Self.arrive(h)
        try h.drain()
        #expect(try h.posts(channel: Self.channel).count == 1)

        // The queue's clock is still before the first digest's time, but that digest has gone: the next one takes these.
        #expect(try h.deliver(Self.batch(2, 2)) == 202)
        try h.drain()
        #expect(try Self.digestJobs(h, state: "available") == 1)
        let runIn = try h.count("SELECT floor(extract(epoch FROM run_at - now()))::int AS n FROM job WHERE kind = 'post_digest' AND state = 'available'")
        #expect(abs(runIn - 6 * 3_600) <= 120, "the second time of day")
        try Self.arrive(h)
        try h.drain()
        let posts = try h.posts(channel: Self.channel)
        #expect(posts.count == 2)
        let second = try #require(posts.last)
        #expect(Self.sections(second).count == 2)
        #expect((second["text"] as? String ?? "").hasPrefix("2 notices since "))
    }

    @Test("a digest whose answer was lost is found by its metadata and not posted again")
    func lostAnswer() throws {
        let h = try Self.harness()
        #expect(try h.deliver(Self.batch(1, 5)) == 202)
        try h.drain()
        _ = try h.sandbox.sendJSON("POST", "/_sandbox/faults",
                                   #"{"service":"slack","match":"chat.postMessage","status":500,"count":1,"apply":true}"#)
        try Self.arrive(h)
        try h.drain()
        #expect(try h.posts(channel: Self.channel).count == 1)
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE kind = 'post_digest' AND attempt = 2 AND state = 'completed'") == 1)
        #expect(try h.count("SELECT count(*) AS n FROM digest_item WHERE posted_job_id IS NULL") == 0)
        let audit = try h.cli.run(["audit", "--connection", "contoso", "--json"]).stdoutText
        #expect(audit.contains("found this job's earlier post in \(Self.channel); not posted again"), "\(audit.suffix(2000))")
    }

    @Test("--digest is refused for approvals and direct messages, and for malformed times (exit 64); route list shows it")
    func routeOptions() throws {
        let h = try DeliveryHarness()
        let approval = try h.cli.run(["route", "add", "contoso", "--event", "Workflow_*_WorkItem", "--channel", "C0APPROVALS", "--digest", "09:00"])
        #expect(approval.status == 64)
        #expect(approval.stderr.contains("never batched"))
        let direct = try h.cli.run(["route", "add", "contoso", "--event", "Workflow_*_WorkItem", "--approver", "--digest", "09:00"])
        #expect(direct.status == 64)
        #expect(direct.stderr.contains("--digest needs --channel"))
        for times in ["9:00", "25:00", ""] {
            #expect(try h.cli.run(["route", "add", "contoso", "--event", "PurchaseOrderConfirmedBusinessEvent", "--channel", "C0X",
                                   "--digest", times]).status == 64, "\(times)")
        }
        #expect(try h.count("SELECT count(*) AS n FROM route") == 0)
        try h.route("--event", "PurchaseOrderConfirmedBusinessEvent", "--channel", "C0FINANCE", "--digest", "13:00,09:00,13:00")
        try h.route("--event", "VendorInvoicePostedBusinessEvent", "--channel", "C0AP")
        let table = try h.cli.run(["route", "list", "contoso"]).stdoutText
        #expect(table.contains("DIGEST (UTC)"))
        #expect(table.contains("09:00,13:00"))
        let json = try h.cli.run(["route", "list", "contoso", "--json"]).stdoutText
        #expect(json.contains(#""digest":["09:00","13:00"]"#))
        #expect(json.contains(#""digest":[]"#))
    }

    @Test("routes without --digest post each notice as before; an approval matching a digest route still gets its own card")
    func othersUnchanged() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "PurchaseOrderConfirmedBusinessEvent", "--channel", "C0FINANCE")
        try h.route("--event", "*", "--channel", "C0APPROVALS", "--digest", Self.time(inHours: 3))
        #expect(try h.deliver(Self.batch(1, 2)) == 202)
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        try h.drain()
        #expect(try h.posts(channel: "C0FINANCE").count == 2)
        let approvals = try h.posts(channel: "C0APPROVALS")
        #expect(approvals.count == 1, "the approval card is posted at once, never batched")
        #expect(DeliveryHarness.allText(try #require(approvals.first)).contains("mlc.approve"))
        #expect(try h.count("SELECT count(*) AS n FROM digest_item") == 0)
        #expect(try Self.digestJobs(h) == 0)
    }
}
