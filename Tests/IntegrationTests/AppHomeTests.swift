import Core
import Domain
import Foundation
import Testing

/// The App Home "My approvals" (issue 12): Slack's signed `app_home_opened` reaches `handle-slack-interaction`,
/// which queues a `publish_home` job; `process-job` publishes the person's open approvals from ml-connector's
/// records through `views.publish` and publishes again when one of them changes. Real binaries, the sandbox's
/// Slack and F&O, PostgreSQL.
@Suite("App Home: My approvals", .serialized, .needsDatabase)
struct AppHomeTests {
    /// Alicia's second work item, on another invoice, and Julia's, on the seeded one.
    static let aliciaSecondItem = "6B2C3D4E-5F60-4A7B-8C9D-0E1F2A3B4C5D"
    static let juliaItem = "7C3D4E5F-6071-4B8C-9DAE-1F2A3B4C5D6E"

    static func harness() throws -> DeliveryHarness {
        let h = try DeliveryHarness()
        try h.route("--event", "Workflow_*_WorkItem", "--approver", "--fallback-channel", "C0APPROVALS")
        return h
    }

    /// Three pending approvals: two of Alicia's (USMF-VI-000418, the seed's, and USMF-VI-000420 of 980.25 USD due
    /// 3 Dec 2025) and one of Julia's.
    static func deliverThreeWorkItems(_ h: DeliveryHarness) throws {
        try h.sandbox.putEntity("VendorInvoiceHeaders", """
            {"dataAreaId":"usmf","HeaderReference":"USMF-VI-000420","InvoiceNumber":"INV-90001","InvoiceAccount":"US-104",
             "VendorAccount":"US-104","VendorName":"Fabrikam Supplies","Currency":"USD","ImportedAmount":980.25,
             "InvoiceDate":"2025-11-30T12:00:00Z","DueDate":"2025-12-30T12:00:00Z"}
            """)
        for (id, user, due) in [(aliciaSecondItem, "alicia", "2025-12-03T09:00:00Z"), (juliaItem, "julia", "2025-12-04T09:00:00Z")] {
            try h.sandbox.putEntity("WorkflowWorkItems", """
                {"Id":"\(id.lowercased())","Status":"Pending","UserId":"\(user)","Subject":"Approve the invoice","CompanyId":"usmf",
                 "DueDateTime":"\(due)","Type":"WorkItem"}
                """)
        }
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice", replacing: [
            (ApprovalWriteBackTests.eventID, "A1A1A1A1-0000-4000-8000-000000000002"), ("5637145477", "5637145601"),
            (InteractionTests.workItem, aliciaSecondItem), ("USMF-VI-000418", "USMF-VI-000420"),
        ]) == 202)
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice", replacing: [
            (ApprovalWriteBackTests.eventID, "A1A1A1A1-0000-4000-8000-000000000003"), ("5637145477", "5637145602"),
            (InteractionTests.workItem, juliaItem), ("alicia.thornton@contoso.example", "julia.funderburk@contoso.example"),
        ]) == 202)
        try h.drain()
    }

    /// Slack opening `user`'s Home tab, sent to handle-slack-interaction: its status.
    @discardableResult
    static func open(_ h: DeliveryHarness, user: String, tab: String = "home", eventID: String? = nil) throws -> (status: Int, eventID: String) {
        let signed = try h.sandbox.appHomeOpened(user: user, tab: tab, eventID: eventID)
        return (try InteractionTests.send(h, (signed.headers, signed.body, signed.triggerID)).status, signed.eventID)
    }

    /// The section texts of the view: one per approval listed (the empty state is one too).
    static func sections(_ view: [String: Any]?) -> [String] {
        ((view?["blocks"] as? [[String: Any]]) ?? []).filter { $0["type"] as? String == "section" }
            .compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
    }

    static func contexts(_ view: [String: Any]?) -> [String] {
        ((view?["blocks"] as? [[String: Any]]) ?? []).filter { $0["type"] as? String == "context" }
            .compactMap { (($0["elements"] as? [[String: Any]])?.first)?["text"] as? String }
    }

    @Test("Home shows exactly the person's open approvals, linked to their cards, and is refreshed when one is decided")
    func myApprovals() throws {
        let h = try Self.harness()
        // Julia looks before she has anything: the empty state.
        #expect(try Self.open(h, user: "U05JULIA").status == 200)
        #expect(try h.count("SELECT count(*)::int AS n FROM job WHERE kind = 'publish_home' AND state = 'available'") == 1,
                "the handler only queues the publication")
        try h.drain()
        let empty = try h.sandbox.home(user: "U05JULIA")
        #expect(empty.publications == 1)
        #expect(Self.sections(empty.view).count == 1)
        #expect(Self.sections(empty.view).first?.hasPrefix("Nothing is waiting for your approval.") == true)

        try Self.deliverThreeWorkItems(h)
        let aliciaCards = try h.posts(channel: "D04ALICIADM")
        #expect(aliciaCards.count == 2)
        #expect(try h.sandbox.home(user: "U04ALICIA").publications == 0, "never opened: never published")
        // Julia opened it once: her new approval's card refreshed her Home.
        let julia = try h.sandbox.home(user: "U05JULIA")
        #expect(julia.publications >= 2)
        #expect(Self.sections(julia.view).count == 1)
        #expect(Self.sections(julia.view).first?.contains("USMF-VI-000418") == true)

        // Alicia opens hers: her two, newest first, each linked to its card, with amount and F&O's due date.
        let opened = try Self.open(h, user: "U04ALICIA")
        #expect(opened.status == 200)
        try h.drain()
        var alicia = try h.sandbox.home(user: "U04ALICIA")
        #expect(alicia.publications == 1)
        #expect(Self.contexts(alicia.view).first == "2 open approvals, newest first, from Dynamics 365")
        let ts = aliciaCards.compactMap { $0["ts"] as? String }
        #expect(Self.sections(alicia.view) == [
            "*<https://contoso.slack.com/archives/D04ALICIADM/p\(ts[1].replacingOccurrences(of: ".", with: ""))"
                + "|Vendor invoice USMF-VI-000420 needs approval>*\n980.25 USD · due 3 Dec 2025",
            "*<https://contoso.slack.com/archives/D04ALICIADM/p\(ts[0].replacingOccurrences(of: ".", with: ""))"
                + "|Vendor invoice USMF-VI-000418 needs approval>*\n12,500.00 USD · due 1 Dec 2025",
        ])
        #expect(try h.count("SELECT count(*)::int AS n FROM approval WHERE permalink IS NOT NULL") == 3, "asked once, kept")

        // Slack delivering the same event again, and the Messages tab, publish nothing.
        #expect(try Self.open(h, user: "U04ALICIA", eventID: opened.eventID).status == 200)
        #expect(try Self.open(h, user: "U04ALICIA", tab: "messages").status == 200)
        try h.drain()
        #expect(try h.sandbox.home(user: "U04ALICIA").publications == 1)

        // She approves the older one on its card: once F&O has it, her Home no longer lists it.
        #expect(try InteractionTests.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts[0]).status == 200)
        try h.drain()
        #expect(try InteractionTests.completions(h).count == 1)
        alicia = try h.sandbox.home(user: "U04ALICIA")
        #expect(alicia.publications >= 2)
        #expect(Self.contexts(alicia.view).first == "1 open approval, from Dynamics 365")
        #expect(Self.sections(alicia.view).count == 1)
        #expect(Self.sections(alicia.view).first?.contains("USMF-VI-000420") == true)
        #expect(Self.sections(alicia.view).first?.contains("USMF-VI-000418") == false)
        #expect(Self.sections(try h.sandbox.home(user: "U05JULIA").view).count == 1, "Julia's Home is hers alone")

        let audit = try h.cli.run(["audit", "--json"]).stdoutText
        #expect(audit.contains("app_home_opened by U04ALICIA") && audit.contains("slack.home"))
    }

    @Test("two workers publishing one person's Home take turns: a publication waits while another holds the person's lock")
    func publicationsTakeTurns() throws {
        let h = try Self.harness()
        let connectionID = try h.database.connect().query("SELECT id FROM connection WHERE name = 'contoso'").first!.int64("id")
        #expect(try Self.open(h, user: "U04ALICIA").status == 200)
        // Another worker's publication in progress: this session holds Alicia's lock.
        let other = try h.database.connect()
        try other.query("SELECT pg_advisory_lock(hashtextextended(\("mlc.app_home:\(connectionID):U04ALICIA"), 0)) IS NULL AS locked")
        let worker = try BackgroundProcess(TestEnvironment.binary("process-job"), arguments: ["--once"], environment: h.processJobEnvironment)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(!worker.hasExited, "waiting for the lock")
        #expect(try h.sandbox.home(user: "U04ALICIA").publications == 0)
        try other.query("SELECT pg_advisory_unlock(hashtextextended(\("mlc.app_home:\(connectionID):U04ALICIA"), 0)) AS unlocked")
        let deadline = Date().addingTimeInterval(30)
        while !worker.hasExited && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(worker.hasExited)
        #expect(try h.sandbox.home(user: "U04ALICIA").publications == 1)
    }
}
