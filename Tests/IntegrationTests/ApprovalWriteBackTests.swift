import Core
import Domain
import Outbound
import Foundation
import Glibc
import Testing

/// Approvals that hold on a real F&O (DESIGN.md §7 Approvals, Reliability): the approver is whom F&O assigns,
/// workflow events only prompt a re-read, a decision is written exactly once whatever answer is lost or whichever
/// worker dies, and one card per work item ends saying where it stands. Real binaries, the sandbox, PostgreSQL,
/// real processes killed with SIGKILL.
@Suite("approvals on F&O's word", .serialized, .needsDatabase)
struct ApprovalWriteBackTests {
    static let workItem = InteractionTests.workItem
    static let eventID = "7F3E2D1C-0B9A-4876-A5B4-C3D2E1F0A9B8"

    static func harness() throws -> DeliveryHarness {
        let h = try DeliveryHarness()
        try h.route("--event", "Workflow_*_WorkItem", "--approver", "--fallback-channel", "C0APPROVALS")
        return h
    }

    static func approvals(_ h: DeliveryHarness) throws -> [(state: String, assignee: String, ts: String?)] {
        try h.database.connect().query("SELECT state, assignee, message_ts FROM approval ORDER BY id").rows.map { row in
            (try row.string("state"), try row.string("assignee"), try row.optionalString("message_ts"))
        }
    }

    static func updates(_ h: DeliveryHarness) throws -> [[String: Any]] {
        try h.sandbox.messages().filter { $0["method"] as? String == "chat.update" }
    }

    /// Whether a message still offers the buttons.
    static func isLive(_ message: [String: Any]) -> Bool { DeliveryHarness.allText(message).contains("mlc.approve") }

    /// The card as it now reads in Slack: the last update of the post, or the post.
    static func current(_ h: DeliveryHarness, ts: String) throws -> [String: Any]? {
        let messages = try h.sandbox.messages().filter { $0["ts"] as? String == ts
            && ["chat.postMessage", "chat.update"].contains($0["method"] as? String ?? "") }
        return messages.last
    }

    /// A workflow event about the work item (element completed; with another id: the workflow-type ID that fires on
    /// start and completion).
    static func workflowEvent(_ h: DeliveryHarness, id: String, businessEventID: String, workItem: String = workItem,
                              controlNumber: Int) throws -> Int {
        try h.deliver(fixture: "workflow-element-completed", replacing: [
            ("C0FFEE11-2222-4333-8444-555566667777", id), ("5637145533", String(controlNumber)),
            ("Workflow_VendInvoiceApproval_000031_ApproveInvoice\"", businessEventID + "\""),
            ("3D8F6A2B-91C4-4E7A-B0D5-6C1E2F3A4B5C", workItem),
        ])
    }

    @Test("a forged approver address gets no card and cannot decide: F&O's assignee does, and the difference is audited")
    func forgedApprover() throws {
        let h = try Self.harness()
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice",
                              replacing: [("alicia.thornton@contoso.example", "julia.funderburk@contoso.example")]) == 202)
        try h.drain()
        #expect(try h.posts(channel: "D05JULIADM").isEmpty, "the forged address gets nothing")
        let card = try #require(try h.posts(channel: "D04ALICIADM").first)
        #expect(Self.isLive(card))
        let audit = try h.cli.run(["audit", "--event", Self.eventID, "--json"]).stdoutText
        #expect(audit.contains("approval.assignee") && audit.contains("F&O wins"))
        let ts = try #require(card["ts"] as? String)
        #expect(try InteractionTests.click(h, action: "mlc.approve", user: "U05JULIA", ts: ts).status == 200)
        try h.drain()
        #expect(try InteractionTests.completions(h).isEmpty)
        #expect(try Self.approvals(h).map(\.state) == ["pending"])
    }

    @Test("a work item completed in F&O before the card was made gets no card")
    func completedBeforeTheCard() throws {
        let h = try Self.harness()
        _ = try h.sandbox.sendJSON("POST", "/_sandbox/workitems/\(Self.workItem)/complete", #"{"outcome":"Approve"}"#)
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        try h.drain()
        #expect(try h.posts().isEmpty)
        #expect(try Self.approvals(h).isEmpty)
    }

    @Test("a completion seen while the card waits to be posted: the card is never posted with live buttons")
    func completedWhileTheCardWaits() throws {
        let h = try Self.harness()
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        #expect(try h.processJob(["--once"]).status == 0)  // the delivery: the post is queued
        try h.database.connect().query("UPDATE job SET run_at = now() + interval '2 seconds' WHERE kind = 'post_message'")  // backoff
        _ = try h.sandbox.sendJSON("POST", "/_sandbox/workitems/\(Self.workItem)/complete", #"{"outcome":"Approve"}"#)
        #expect(try Self.workflowEvent(h, id: "E-DONE", businessEventID: "Workflow_VendInvoiceApproval_000031", controlNumber: 90) == 202)
        try h.drain()
        #expect(try h.posts().filter(Self.isLive).isEmpty)
        #expect(try Self.approvals(h).map(\.state) == ["decided_in_fo"])
    }

    @Test("a work item completed in F&O after the card: the card closes; a late 'started' event closes nothing")
    func completedAfterTheCard() throws {
        let h = try Self.harness()
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        try h.drain()
        let ts = try #require(try h.posts(channel: "D04ALICIADM").first?["ts"] as? String)
        #expect(try Self.workflowEvent(h, id: "E-START", businessEventID: "Workflow_VendInvoiceApproval_000031", controlNumber: 91) == 202)
        #expect(try Self.workflowEvent(h, id: "E-ELEM", businessEventID: "Workflow_VendInvoiceApproval_000031_ApproveInvoice",
                                       controlNumber: 92) == 202)
        try h.drain()
        #expect(try Self.current(h, ts: ts).map(Self.isLive) == true, "F&O still has the item pending: the card stays open")
        _ = try h.sandbox.sendJSON("POST", "/_sandbox/workitems/\(Self.workItem)/complete", #"{"outcome":"Approve"}"#)
        #expect(try Self.workflowEvent(h, id: "E-DONE", businessEventID: "Workflow_VendInvoiceApproval_000031", controlNumber: 93) == 202)
        try h.drain()
        let closed = try #require(try Self.current(h, ts: ts))
        #expect(!Self.isLive(closed))
        #expect(DeliveryHarness.allText(closed).contains("Completed in Dynamics 365"))
        #expect(try Self.approvals(h).map(\.state) == ["decided_in_fo"])
    }

    @Test("delegated in F&O: the old card closes, the delegate's own work-item event brings them a card")
    func delegated() throws {
        let h = try Self.harness()
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        try h.drain()
        let ts = try #require(try h.posts(channel: "D04ALICIADM").first?["ts"] as? String)
        let newItem = "5A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"
        let delegation = try h.sandbox.sendJSON("POST", "/_sandbox/workitems/\(Self.workItem)/delegate",
                                                #"{"to":"julia","new_id":"\#(newItem)"}"#)
        #expect(delegation.status == 200)
        #expect(try Self.workflowEvent(h, id: "E-DELEG", businessEventID: "Workflow_VendInvoiceApproval_000031_ApproveInvoice",
                                       controlNumber: 94) == 202)
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice", replacing: [
            (Self.eventID, "NEW-WORK-ITEM-EVENT"), ("5637145477", "5637145999"), ("3D8F6A2B-91C4-4E7A-B0D5-6C1E2F3A4B5C", newItem),
            ("alicia.thornton@contoso.example", "julia.funderburk@contoso.example"),
        ]) == 202)
        try h.drain()
        #expect(try Self.current(h, ts: ts).map(Self.isLive) == false)
        #expect(try Self.current(h, ts: ts).map(DeliveryHarness.allText)?.contains("Delegated") == true)
        #expect(try h.posts(channel: "D05JULIADM").filter(Self.isLive).count == 1)
        #expect(try Self.approvals(h).map(\.state) == ["delegated", "pending"])
        #expect(try InteractionTests.completions(h).map { $0["outcome"] as? String } == ["Delegate"], "F&O's delegation, nothing of ours")
        #expect(try h.sandbox.requests().filter { ($0["path"] as? String ?? "").hasSuffix(".complete") }.isEmpty)
    }

    @Test("reassigned in F&O while the decision waits: not completed on the old assignee's click; the new one gets a card")
    func reassignedBeforeComplete() throws {
        let h = try Self.harness()
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        try h.drain()
        let ts = try #require(try h.posts(channel: "D04ALICIADM").first?["ts"] as? String)
        #expect(try InteractionTests.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        #expect(try h.sandbox.sendJSON("POST", "/_sandbox/workitems/\(Self.workItem)/reassign", #"{"to":"julia"}"#).status == 200)
        try h.drain()
        #expect(try InteractionTests.completions(h).isEmpty)
        #expect(try h.sandbox.requests().filter { ($0["path"] as? String ?? "").hasSuffix(".complete") }.isEmpty)
        #expect(try Self.approvals(h).map(\.state) == ["delegated", "pending"])
        #expect(try Self.approvals(h).map(\.assignee) == ["alicia", "julia"])
        #expect(try h.posts(channel: "D05JULIADM").filter(Self.isLive).count == 1)
        #expect(try Self.current(h, ts: ts).map(Self.isLive) == false)
    }

    @Test("every arrival order of work-item, started, element and completed events: one card, live exactly while F&O says pending")
    func everyArrivalOrder() throws {
        let h = try Self.harness()
        let kinds = ["item", "started", "element", "completed"]
        func permutations(_ items: [String]) -> [[String]] {
            items.count <= 1 ? [items] : items.indices.flatMap { i in
                permutations(Array(items[..<i] + items[(i + 1)...])).map { [items[i]] + $0 }
            }
        }
        let orders = permutations(kinds)
        #expect(orders.count == 24)
        var control = 7000
        var items: [(id: String, done: Bool)] = []
        for (index, order) in orders.enumerated() {
            for done in [false, true] {
                let id = String(format: "00000000-0000-4000-8000-%012d", index * 2 + (done ? 1 : 0))
                try h.sandbox.putEntity("WorkflowWorkItems", """
                    {"Id":"\(id)","Status":"\(done ? "Completed" : "Pending")","UserId":"alicia","Subject":"Order \(index)",
                     "CompanyId":"usmf","DueDateTime":"2025-12-01T13:00:00Z","Type":"WorkItem"}
                    """)
                items.append((id, done))
                for kind in order {
                    control += 1
                    let eventID = "ORDER-\(id)-\(kind)"
                    switch kind {
                    case "item":
                        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice", replacing: [
                            (Self.eventID, eventID), ("5637145477", String(control)), ("3D8F6A2B-91C4-4E7A-B0D5-6C1E2F3A4B5C", id),
                        ]) == 202)
                    case "started", "completed":
                        #expect(try Self.workflowEvent(h, id: eventID, businessEventID: "Workflow_VendInvoiceApproval_000031", workItem: id,
                                                       controlNumber: control) == 202)
                    default:
                        #expect(try Self.workflowEvent(h, id: eventID, businessEventID: "Workflow_VendInvoiceApproval_000031_ApproveInvoice",
                                                       workItem: id, controlNumber: control) == 202)
                    }
                }
            }
        }
        try h.drain(environment: ["MLC_SLACK_CHANNEL_INTERVAL_MS": "0"], timeout: 120)
        let rows = try h.database.connect().query("SELECT lower(work_item_id) AS w, state, message_ts FROM approval").rows
        var byItem: [String: (state: String, ts: String?)] = [:]
        for row in rows { byItem[try row.string("w")] = (try row.string("state"), try row.optionalString("message_ts")) }
        for (index, item) in items.enumerated() {
            let order = orders[index / 2].joined(separator: ",")
            if item.done {
                #expect(byItem[item.id] == nil, "\(order): completed in F&O before any card: no card")
            } else {
                let approval = try #require(byItem[item.id], "\(order)")
                #expect(approval.state == "pending", "\(order)")
                let ts = try #require(approval.ts, "\(order)")
                #expect(try Self.current(h, ts: ts).map(Self.isLive) == true, "\(order): F&O says pending, so the card stays live")
            }
        }
        #expect(try h.posts().count == 24, "one card per pending work item, none for completed ones")
    }

    @Test("complete reaches F&O but its answer is lost: approved once, never 'not recorded'")
    func lostAnswer() throws {
        let (h, _, ts) = try InteractionTests.withApprovalCard()
        try h.sandbox.lostAnswer(match: ".complete", status: 500)
        #expect(try InteractionTests.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        try h.drain()
        #expect(try InteractionTests.completions(h).count == 1)
        #expect(try InteractionTests.state(h) == "approved")
        let card = try InteractionTests.lastUpdate(h)
        #expect(card.contains("Approved by <@U04ALICIA>"))
        #expect(try !Self.updates(h).contains { DeliveryHarness.allText($0).contains("Not recorded") })
        #expect(try h.sandbox.requests().filter { ($0["path"] as? String ?? "").hasSuffix(".complete") }.count == 1, "never a blind second complete")
    }

    @Test("complete sent, its worker died, F&O unreachable at the re-check: unconfirmed on the card, settled later",
          .timeLimit(.minutes(2)))
    func unconfirmedThenSettled() throws {
        let (h, _, ts) = try InteractionTests.withApprovalCard()
        try h.sandbox.lostAnswer(match: ".complete", status: nil, delayMilliseconds: 60_000, method: "POST", apply: true)
        #expect(try InteractionTests.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        try Self.killWorker(h, whileSandboxHolds: ".complete")
        #expect(try InteractionTests.state(h) == "completing")
        try h.sandbox.fault(service: "odata", match: "WorkflowWorkItems(", status: 503, count: 1)
        let lease = ["MLC_JOB_LEASE_SECONDS": "8"]
        let started = Date()
        while try InteractionTests.state(h) == "completing" && Date().timeIntervalSince(started) < 40 {
            #expect(try h.processJob(["--once"], environment: lease).status == 0)
            Thread.sleep(forTimeInterval: 0.3)
        }
        #expect(try InteractionTests.state(h) == "unconfirmed")
        #expect(try h.processJob(["--once"], environment: lease).status == 0)  // the card redrawn
        #expect(try Self.updates(h).contains { DeliveryHarness.allText($0).contains("Sent to Dynamics 365; not yet confirmed") })
        #expect(try h.cli.run(["jobs", "--state", "available"]).stdoutText.contains("not yet confirmed"))
        try h.drain(environment: lease, timeout: 60)
        #expect(try InteractionTests.state(h) == "approved")
        #expect(try InteractionTests.completions(h).count == 1)
        #expect(try Self.current(h, ts: ts).map(DeliveryHarness.allText)?.contains("Approved by") == true)
    }

    @Test("a failed chat.update is retried until the card reads right")
    func cardUpdateRetried() throws {
        let (h, _, ts) = try InteractionTests.withApprovalCard()
        try h.sandbox.fault(service: "slack", match: "chat.update", status: 500, count: 2)
        #expect(try InteractionTests.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        try h.drain()
        #expect(try InteractionTests.state(h) == "approved")
        #expect(try Self.current(h, ts: ts).map(DeliveryHarness.allText)?.contains("Approved by <@U04ALICIA>") == true)
        #expect(try h.count("SELECT count(*) AS n FROM audit_log WHERE action = 'slack.update' AND outcome = 'error'") >= 1)
    }

    @Test("a job past its deadline stops before its next outbound call", .timeLimit(.minutes(2)))
    func deadline() throws {
        let (h, _, ts) = try InteractionTests.withApprovalCard()
        // The work item read answers 3.7 s late, with 6 s of lease (4 s of deadline): nothing more may be sent.
        try h.sandbox.lostAnswer(match: "WorkflowWorkItems(", status: nil, delayMilliseconds: 3700, method: "GET")
        #expect(try InteractionTests.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        let lease = ["MLC_JOB_LEASE_SECONDS": "6"]
        let started = Date()
        while try h.count("SELECT count(*) AS n FROM job_attempt a JOIN job j ON j.id = a.job_id WHERE j.kind = 'decide_approval'") == 0 {
            #expect(try h.processJob(["--once"], environment: lease).status == 0)
            #expect(Date().timeIntervalSince(started) < 30)
        }
        #expect(try h.sandbox.requests().filter { ($0["path"] as? String ?? "").contains("Microsoft.Dynamics.DataEntities.") }.isEmpty,
                "neither validate nor complete was sent after the deadline")
        #expect(try h.count("SELECT count(*) AS n FROM audit_log WHERE detail LIKE '%reached its deadline%'") >= 1)
        try h.drain(environment: lease)
        #expect(try InteractionTests.state(h) == "approved")
        #expect(try InteractionTests.completions(h).count == 1)
    }

    /// A worker killed with SIGKILL while the sandbox holds one of its calls: the next worker, once the lease ran
    /// out, finishes the job — one completion, one live card at most, the card ending right.
    @Test("a worker killed at each step of the decide job: one completion, the card ends approved", .timeLimit(.minutes(3)),
          arguments: [("WorkflowWorkItems(", "GET", false), (".validate", "POST", false), (".complete", "POST", false),
                      (".complete", "POST", true), ("chat.update", "POST", true)])
    func killedDeciding(match: String, method: String, applied: Bool) throws {
        let (h, _, ts) = try InteractionTests.withApprovalCard()
        try h.sandbox.lostAnswer(match: match, status: nil, delayMilliseconds: 60_000, method: method, apply: applied)
        #expect(try InteractionTests.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        try Self.killWorker(h, whileSandboxHolds: match)
        try h.drain(environment: ["MLC_JOB_LEASE_SECONDS": "8"], timeout: 90)
        #expect(try InteractionTests.completions(h).count == 1, "\(match)")
        #expect(try InteractionTests.state(h) == "approved")
        #expect(try Self.current(h, ts: ts).map(DeliveryHarness.allText)?.contains("Approved by <@U04ALICIA>") == true)
    }

    @Test("a worker killed while posting (before or after Slack took the card): one card", .timeLimit(.minutes(3)),
          arguments: [false, true])
    func killedPosting(applied: Bool) throws {
        let h = try Self.harness()
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        try h.sandbox.lostAnswer(match: "chat.postMessage", status: nil, delayMilliseconds: 60_000, method: "POST", apply: applied)
        try Self.killWorker(h, whileSandboxHolds: "chat.postMessage")
        try h.drain(environment: ["MLC_JOB_LEASE_SECONDS": "8"], timeout: 90)
        #expect(try h.posts(channel: "D04ALICIADM").count == 1)
        let approval = try #require(try Self.approvals(h).first)
        let posted = try h.posts(channel: "D04ALICIADM").first?["ts"] as? String
        #expect(approval.state == "pending" && approval.ts == posted)
    }

    @Test("the card went out but its post was never recorded, and the approver clicked it: recorded, not reposted, ends approved",
          .timeLimit(.minutes(3)))
    func clickedBeforeThePostWasRecorded() throws {
        let h = try Self.harness()
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        try h.sandbox.lostAnswer(match: "chat.postMessage", status: nil, delayMilliseconds: 60_000, method: "POST", apply: true)
        try Self.killWorker(h, whileSandboxHolds: "chat.postMessage")
        let ts = try #require(try h.posts(channel: "D04ALICIADM").first?["ts"] as? String)
        #expect(try InteractionTests.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        try h.drain(environment: ["MLC_JOB_LEASE_SECONDS": "8"], timeout: 90)
        #expect(try h.posts(channel: "D04ALICIADM").count == 1)
        #expect(try InteractionTests.completions(h).count == 1)
        #expect(try Self.approvals(h).first?.ts == ts)
        #expect(try Self.current(h, ts: ts).map(DeliveryHarness.allText)?.contains("Approved by <@U04ALICIA>") == true)
    }

    /// Starts `process-job --listen` (lease 8 s), waits until the sandbox has received a request whose path contains
    /// `match`, and kills the worker with SIGKILL.
    static func killWorker(_ h: DeliveryHarness, whileSandboxHolds match: String) throws {
        let before = try h.sandbox.requests().filter { ($0["path"] as? String ?? "").contains(match) }.count
        let worker = try BackgroundProcess(TestEnvironment.binary("process-job"), arguments: ["--listen"],
                                           environment: h.processJobEnvironment.merging(["MLC_JOB_LEASE_SECONDS": "8"]) { $1 })
        let deadline = Date().addingTimeInterval(30)
        while try h.sandbox.requests().filter({ ($0["path"] as? String ?? "").contains(match) }).count == before {
            guard Date() < deadline else { throw HarnessFailure(message: "the worker never called \(match)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(kill(worker.pid, SIGKILL) == 0)
        while !worker.hasExited { Thread.sleep(forTimeInterval: 0.05) }
    }
}

extension SandboxProcess {
    /// A fault that loses or delays an answer: with `apply`, the request is acted on first (the work item completed,
    /// the message posted) and the answer then replaced by `status` or delayed.
    func lostAnswer(match: String, status: Int?, delayMilliseconds: Int? = nil, method: String? = nil, apply: Bool = true) throws {
        var fault: [String: Any] = ["service": match.hasPrefix("chat.") ? "slack" : "odata", "match": match, "count": 1, "apply": apply]
        fault["status"] = status
        fault["delay_ms"] = delayMilliseconds
        fault["method"] = method
        let response = try sendJSON("POST", "/_sandbox/faults", Self.json(fault))
        guard response.status == 200 else { throw HarnessFailure(message: "fault refused: \(String(decoding: response.body, as: UTF8.self))") }
    }
}
