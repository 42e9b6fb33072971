import Core
import Domain
import Foundation
import Testing

/// Reminders and escalation from F&O's own dates (issue 12, item 1): the points of the catalog's `"reminders"`
/// queued as `remind_approval` jobs for their time when the card is made, posted in the card's thread; the queue's
/// clock is moved by backdating a job's `run_at` (no test-only path in the product). None after a decision, none in
/// the approver's quiet hours (their Slack time zone), one per point with two workers at once; F&O's escalation
/// moves the card. Real binaries, the sandbox, PostgreSQL.
@Suite("reminders and escalation", .serialized, .needsDatabase)
struct ReminderTests {
    static let workItem = InteractionTests.workItem
    static let eventID = ApprovalWriteBackTests.eventID
    static let day: Int64 = 86_400

    /// The Slack `tz_offset` that makes the local time of day `hour` now (whole minutes, within ±12 h).
    static func offset(makingLocalHour hour: Int) -> Int {
        let now = Int(Date().timeIntervalSince1970)
        var offset = (hour * 3_600 - now % 86_400) / 60 * 60
        while offset > 43_200 { offset -= 86_400 }
        while offset <= -43_200 { offset += 86_400 }
        return offset
    }

    static func iso(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The seeded work item, pending for Alicia, due at `due`.
    static func setDue(_ h: DeliveryHarness, _ due: Int64) throws {
        var item = try #require(try JSONSerialization.jsonObject(with: Data(TestEnvironment.fixture("odata/WorkflowWorkItems.json"))) as? [String: Any])
        item["@odata.etag"] = nil
        item["DueDateTime"] = iso(due)
        try h.sandbox.putEntity("WorkflowWorkItems", try SandboxProcess.json(item))
    }

    /// A connection with reminders at 24h, 2h and due (quiet hours 20:00–08:00), Alicia and Julia at `localHour` now, the
    /// work item due in three days and some minutes, and the card in Alicia's DMs. Returns the card's ts and the due time.
    static func withCard(localHour: Int = 12, points: String = #"["24h", "2h", "due"]"#) throws -> (DeliveryHarness, ts: String, due: Int64) {
        let h = try DeliveryHarness()
        try h.route("--event", "Workflow_*_WorkItem", "--approver", "--fallback-channel", "C0APPROVALS")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-reminders-\(UUID().uuidString).json")
        try Data(#"{"reminders": {"points": \#(points), "quietHours": "20:00-08:00"}}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let stored = try h.cli.run(["connection", "catalog", "contoso", "--file", file.path])
        guard stored.status == 0 else { throw HarnessFailure(message: stored.stderr) }
        #expect(try h.cli.run(["catalog", "show", "contoso"]).stdoutText
            .contains("\nreminders: 24h, 2h, due before the due time, quiet hours 20:00-08:00 in the approver's Slack time zone"))
        for user in ["U04ALICIA", "U05JULIA"] {
            _ = try h.sandbox.sendJSON("POST", "/_sandbox/users/\(user)/tz",
                                       #"{"tz":"Test/Local","tz_offset":\#(offset(makingLocalHour: localHour))}"#)
        }
        let due = Int64(Date().timeIntervalSince1970) / 60 * 60 + 3 * day + 600
        try setDue(h, due)
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        try h.drain()
        let card = try #require(try h.posts(channel: "D04ALICIADM").first)
        return (h, try #require(card["ts"] as? String), due)
    }

    /// The queued reminders: point, seconds from now to `run_at`, state, approval id.
    static func reminders(_ h: DeliveryHarness) throws -> [(point: String, runIn: Int64, state: String, approval: Int64)] {
        try h.database.connect().query("""
            SELECT args->>'point' AS point, floor(extract(epoch FROM run_at - now()))::bigint AS run_in, state::text AS state,
                   (args->>'approval_id')::bigint AS approval
            FROM job WHERE kind = 'remind_approval' ORDER BY run_at, id
            """).rows.map { (try $0.string("point"), try $0.int64("run_in"), try $0.string("state"), try $0.int64("approval")) }
    }

    /// Makes the reminder for `point` due now, as if the queue's clock had reached it.
    static func arrive(_ h: DeliveryHarness, point: String? = nil) throws {
        try h.database.connect().query("""
            UPDATE job SET run_at = now() WHERE kind = 'remind_approval' AND state = 'available'
              AND (\(point)::text IS NULL OR args->>'point' = \(point))
            """)
    }

    /// Replies posted in the thread of the message `ts`.
    static func replies(_ h: DeliveryHarness, to ts: String) throws -> [[String: Any]] {
        try h.posts().filter { $0["thread_ts"] as? String == ts }
    }

    static func audit(_ h: DeliveryHarness) throws -> String {
        try h.cli.run(["audit", "--event", eventID, "--json"]).stdoutText
    }

    @Test("reminders are queued for their points and posted in the card's thread when their time comes, once each")
    func atTheirPoints() throws {
        let (h, ts, due) = try Self.withCard()
        let queued = try Self.reminders(h)
        #expect(queued.map(\.point) == ["1d", "2h", "due"])
        let now = Int64(Date().timeIntervalSince1970)
        for (reminder, before) in zip(queued, [Self.day, 7_200, 0]) {
            #expect(abs(reminder.runIn - (due - before - now)) <= 5, "\(reminder.point) runs at due - \(before) s")
        }
        #expect(try Self.replies(h, to: ts).isEmpty, "nothing before its time")

        for (count, point) in ["1d", "2h", "due"].enumerated() {
            try Self.arrive(h, point: point)
            try h.drain()
            let replies = try Self.replies(h, to: ts)
            #expect(replies.count == count + 1, "after \(point)")
            #expect(replies.allSatisfy { $0["channel"] as? String == "D04ALICIADM" })
            #expect((replies.last?["text"] as? String ?? "").contains("Reminder: this approval is due in about 3 days"))
        }
        #expect(try h.posts(channel: "D04ALICIADM").count == 4, "one card and three replies in its thread, no new card")
        #expect(try Self.reminders(h).allSatisfy { $0.state == "completed" })
        let audit = try Self.audit(h)
        #expect(audit.contains("approval.remind") && audit.contains("1d reminder for work item") && audit.contains("in the card's thread"))
        try Self.arrive(h)
        try h.drain()
        #expect(try Self.replies(h, to: ts).count == 3, "never twice for one point")
    }

    @Test("no reminder after a decision")
    func noneAfterADecision() throws {
        let (h, ts, _) = try Self.withCard()
        #expect(try InteractionTests.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        try h.drain()
        #expect(try InteractionTests.state(h) == "approved")
        try Self.arrive(h)
        try h.drain()
        #expect(try Self.replies(h, to: ts).isEmpty)
        #expect(try Self.audit(h).contains("reminder for work item \(Self.workItem.lowercased()) not sent: the approval is approved"))
    }

    @Test("a work item decided in F&O meanwhile gets no reminder and its card closes")
    func noneAfterADecisionInDynamics() throws {
        let (h, ts, _) = try Self.withCard()
        _ = try h.sandbox.sendJSON("POST", "/_sandbox/workitems/\(Self.workItem)/complete", #"{"outcome":"Approve"}"#)
        try Self.arrive(h, point: "1d")
        try h.drain()
        #expect(try Self.replies(h, to: ts).isEmpty)
        #expect(try InteractionTests.state(h) == "decided_in_fo")
    }

    @Test("in the approver's quiet hours nothing is posted: the points move to the morning, and a reminder due at night waits")
    func quietHours() throws {
        let (h, ts, due) = try Self.withCard(localHour: 2)
        // Due at 02:10 local in three days: 1d moves to 08:00 local two days ahead; 2h and due both to 08:00 on the
        // due day, where they are one reminder.
        let queued = try Self.reminders(h)
        #expect(queued.map(\.point) == ["1d", "due"])
        let offset = Int64(Self.offset(makingLocalHour: 2))
        for reminder in queued {
            let local = (Int64(Date().timeIntervalSince1970) + reminder.runIn + offset) % Self.day
            #expect(abs(local - 8 * 3_600) <= 5, "\(reminder.point) at 08:00 local")
        }
        #expect(queued.last.map { $0.runIn > due - Int64(Date().timeIntervalSince1970) } == true)

        // The queue's clock says it is time, the approver's clock says it is 02:00: held back until 08:00 local.
        try Self.arrive(h, point: "1d")
        try h.drain()
        #expect(try Self.replies(h, to: ts).isEmpty)
        let held = try #require(try Self.reminders(h).first { $0.point == "1d" })
        #expect(held.state == "available" && abs(held.runIn - 6 * 3_600 + 600) <= 900, "waits about six hours")
        #expect(try Self.audit(h).contains("held back: quiet hours 20:00-08:00 in Test/Local"))
    }

    @Test("two workers at once post one reminder per point")
    func twoWorkers() throws {
        let (h, ts, _) = try Self.withCard()
        try h.sandbox.config(pacing: false)
        try Self.arrive(h)
        let workers = (0..<2).map { _ in Worker(h) }
        #expect(workers.map { $0.wait() } == [0, 0])
        try h.drain()
        let replies = try Self.replies(h, to: ts)
        #expect(replies.count == 3)
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE kind = 'remind_approval' AND attempt = 1 AND state = 'completed'") == 3)
    }

    @Test("a reply whose answer was lost is found in the thread by its metadata and not posted again")
    func lostAnswer() throws {
        let (h, ts, _) = try Self.withCard()
        try h.sandbox.config(pacing: false)  // the reply follows the card within the second
        // Slack takes the reply, the worker gets a 500: the retry looks in the thread first.
        _ = try h.sandbox.sendJSON("POST", "/_sandbox/faults",
                                   #"{"service":"slack","match":"chat.postMessage","status":500,"count":1,"apply":true}"#)
        try Self.arrive(h, point: "1d")
        try h.drain()
        #expect(try Self.replies(h, to: ts).count == 1)
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE kind = 'remind_approval' AND attempt = 2 AND state = 'completed'") == 1)
        let audit = try Self.audit(h)
        #expect(audit.contains("this job's earlier reply is in the card's thread"), "\(audit)")
        #expect(try h.sandbox.requests().contains { ($0["path"] as? String ?? "").hasSuffix("/conversations.replies") })
    }

    @Test("F&O's escalation moves the card: the old one closes with a note, the new assignee's card comes with its own reminders")
    func escalation() throws {
        let (h, ts, _) = try Self.withCard()
        let response = try h.sandbox.sendJSON("POST", "/_sandbox/workitems/\(Self.workItem)/escalate", #"{"to":"julia"}"#)
        #expect((try SandboxProcess.object(response)["EscalationLevel"] as? Int) == 1)
        try Self.arrive(h, point: "1d")
        try h.drain()
        #expect(try Self.replies(h, to: ts).isEmpty, "no reminder for the old assignee")
        let old = try #require(try ApprovalWriteBackTests.current(h, ts: ts))
        #expect(!ApprovalWriteBackTests.isLive(old))
        #expect(DeliveryHarness.allText(old).contains("(escalated by F&amp;O to julia); this card is closed."))
        let card = try #require(try h.posts(channel: "D05JULIADM").first, "Julia gets the card")
        #expect(ApprovalWriteBackTests.isLive(card))
        let approvals = try ApprovalWriteBackTests.approvals(h)
        #expect(approvals.map(\.state) == ["delegated", "pending"])
        let julia = try h.database.connect().query("SELECT id FROM approval WHERE assignee = 'julia'").first!.int64("id")
        let followed = try Self.reminders(h).filter { $0.approval == julia }
        #expect(followed.map(\.point) == ["1d", "2h", "due"], "the reminders follow the new approval")
        // Julia's own reminder goes to her card's thread.
        let juliaTS = try #require(card["ts"] as? String)
        try h.database.connect().query("""
            UPDATE job SET run_at = now() WHERE kind = 'remind_approval' AND args->>'approval_id' = \(String(julia)) AND args->>'point' = '1d'
            """)
        try h.drain()
        #expect(try Self.replies(h, to: juliaTS).count == 1)
    }

    @Test("F&O moving the due time reschedules: the old point posts nothing, the new points are queued")
    func dueTimeMoved() throws {
        let (h, ts, due) = try Self.withCard()
        let later = due + Self.day
        try Self.setDue(h, later)
        try Self.arrive(h, point: "1d")
        try h.drain()
        #expect(try Self.replies(h, to: ts).isEmpty)
        let waiting = try Self.reminders(h).filter { $0.state == "available" }
        let now = Int64(Date().timeIntervalSince1970)
        #expect(waiting.contains { $0.point == "1d" && abs($0.runIn - (later - Self.day - now)) <= 5 })
        #expect(try Self.audit(h).contains("F&O moved the due time"))
    }

    /// One `process-job` run on a thread of its own, so that two run at once.
    final class Worker: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var status: Int32 = -1

        init(_ h: DeliveryHarness) {
            let thread = Thread { [self] in
                status = (try? h.processJob())?.status ?? -1
                done.signal()
            }
            thread.start()
        }

        func wait() -> Int32 {
            done.wait()
            return status
        }
    }
}
