import Core
import Domain
import Outbound
import Foundation
import Glibc
import Testing

/// Every outcome F&O allows (issue 12 item 3): Request change asks for a comment, Delegate for a person (a Slack user
/// picker, resolved by their Slack email to F&O's `SystemUsers`), each completed once with the catalog's outcome and
/// parameters — the same exactly-once rules as Approve and Reject, a worker killed mid-job included. Real binaries,
/// the sandbox's workflow, PostgreSQL.
@Suite("request change and delegate", .serialized, .needsDatabase)
struct OutcomeTests {
    static let workItem = InteractionTests.workItem

    /// Alicia clicks `decision` on her card: the modal it opens, as the sandbox recorded it.
    static func open(_ decision: ApprovalDecision, _ h: DeliveryHarness, ts: String) throws -> [String: Any] {
        #expect(try InteractionTests.click(h, action: ApprovalButtons.actionID(for: decision), user: "U04ALICIA", ts: ts).status == 200)
        let modal = try #require(try h.sandbox.messages().last { $0["method"] as? String == "views.open" })
        return try #require(modal["view"] as? [String: Any])
    }

    /// Submits the latest modal with `values`, signed by the sandbox, to the interaction handler.
    static func submit(_ h: DeliveryHarness, _ values: [String: [String: String]], user: String = "U04ALICIA") throws -> HandlerResponse {
        let signed = try h.sandbox.submission(values: values, user: user)
        return try InteractionTests.send(h, (signed.headers, signed.body, triggerID: ""))
    }

    static func delegation(to user: String, comment: String = "") -> [String: [String: String]] {
        ["mlc.delegate": ["mlc.delegate_user": user], "mlc.reason": ["mlc.reason_input": comment]]
    }

    static func current(_ h: DeliveryHarness, ts: String) throws -> String {
        try ApprovalWriteBackTests.current(h, ts: ts).map(DeliveryHarness.allText) ?? ""
    }

    @Test("the card offers all four outcomes of the standard catalog")
    func fourButtons() throws {
        let (h, _, ts) = try InteractionTests.withApprovalCard()
        let card = try #require(try h.posts(channel: "D04ALICIADM").first { $0["ts"] as? String == ts })
        let text = DeliveryHarness.allText(card)
        for action in ["mlc.approve", "mlc.reject", "mlc.request_change", "mlc.delegate"] { #expect(text.contains(action), "\(action)") }
        #expect(text.contains("Request change") && text.contains("Delegate"))
    }

    @Test("request change: a comment asked for, RequestChange completed once with it, the card says what was asked")
    func requestChange() throws {
        let (h, reference, ts) = try InteractionTests.withApprovalCard()
        let view = try Self.open(.requestChange, h, ts: ts)
        #expect(view["callback_id"] as? String == "mlc.request_change" && view["private_metadata"] as? String == reference)
        #expect(try InteractionTests.state(h) == "pending", "nothing counts before the comment")

        let empty = try Self.submit(h, ["mlc.reason": ["mlc.reason_input": "  "]])
        #expect(empty.bodyText.contains("\"response_action\":\"errors\"") && empty.bodyText.contains("Please say what should change."))
        let asked = "Split line 2 by cost centre <Audio / Video>"
        #expect(try Self.submit(h, ["mlc.reason": ["mlc.reason_input": asked]]).status == 200)
        try h.drain()
        let done = try InteractionTests.completions(h)
        #expect(done.count == 1)
        #expect(done.first?["outcome"] as? String == "RequestChange" && done.first?["comment"] as? String == asked)
        #expect(try InteractionTests.state(h) == "change_requested")
        let card = try Self.current(h, ts: ts)
        #expect(card.contains("Change requested by <@U04ALICIA>") && card.contains("Change asked for: Split line 2 by cost centre &lt;Audio"))
        #expect(!card.contains("mlc.approve"))

        // The modal, still open in another client, submitted later: refused in the modal, nothing sent.
        let late = try Self.submit(h, ["mlc.reason": ["mlc.reason_input": "again"]])
        #expect(late.bodyText.contains("Already sent back for a change by <@U04ALICIA>"))
        try h.drain()
        #expect(try InteractionTests.completions(h).count == 1)
    }

    @Test("delegate: the Slack user picked becomes F&O's user, Delegate completed once, the card closes and the delegate's event brings theirs")
    func delegate() throws {
        let (h, reference, ts) = try InteractionTests.withApprovalCard()
        let view = try Self.open(.delegate, h, ts: ts)
        #expect(view["callback_id"] as? String == "mlc.delegate" && view["private_metadata"] as? String == reference)
        #expect(String(decoding: try JSONSerialization.data(withJSONObject: view), as: UTF8.self).contains("users_select"))

        let yourself = try Self.submit(h, Self.delegation(to: "U04ALICIA"))
        #expect(yourself.bodyText.contains("Please choose someone other than yourself.") && yourself.bodyText.contains("mlc.delegate"))
        #expect(try InteractionTests.state(h) == "pending")
        #expect(try Self.submit(h, Self.delegation(to: "U05JULIA", comment: "Julia owns the audio budget")).status == 200)
        try h.drain()

        let done = try InteractionTests.completions(h)
        #expect(done.count == 1)
        #expect(done.first?["outcome"] as? String == "Delegate" && done.first?["comment"] as? String == "Julia owns the audio budget")
        #expect(try h.sandbox.requests().filter { ($0["path"] as? String ?? "").hasSuffix(".complete") }.count == 1)
        let newItem = try #require(done.first?["delegated_to"] as? String)
        let item = try SandboxProcess.object(try h.sandbox.send("GET", "/_sandbox/workitems/\(Self.workItem)"))
        #expect(item["Status"] as? String == "Delegated")
        let theirs = try SandboxProcess.object(try h.sandbox.send("GET", "/_sandbox/workitems/\(newItem)"))
        #expect(theirs["Status"] as? String == "Pending")
        #expect(theirs["UserId"] as? String == "julia", "DelegateUserId carried F&O's UserID, found by Julia's Slack email")

        let row = try #require(try h.database.connect().query("SELECT state, delegate_slack_id, delegate_user FROM approval").first)
        #expect(try row.string("state") == "delegated")
        #expect(try row.optionalString("delegate_slack_id") == "U05JULIA" && row.optionalString("delegate_user") == "julia")
        let card = try Self.current(h, ts: ts)
        #expect(card.contains("Delegated to <@U05JULIA> by <@U04ALICIA>") && card.contains("Comment: Julia owns the audio budget"))
        #expect(!card.contains("mlc.approve"))
        let audit = try h.cli.run(["audit", "--event", ApprovalWriteBackTests.eventID]).stdoutText
        #expect(audit.contains("Delegate by U04ALICIA recorded in F&O") && audit.contains("(delegate julia)"))

        // F&O's event for the delegate's new work item brings Julia a card of her own.
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice", replacing: [
            (ApprovalWriteBackTests.eventID, "DELEGATE-WORK-ITEM-EVENT"), ("5637145477", "5637145998"),
            ("3D8F6A2B-91C4-4E7A-B0D5-6C1E2F3A4B5C", newItem.uppercased()),
            ("alicia.thornton@contoso.example", "julia.funderburk@contoso.example"),
        ]) == 202)
        try h.drain()
        #expect(try h.posts(channel: "D05JULIADM").filter(ApprovalWriteBackTests.isLive).count == 1)
        #expect(try ApprovalWriteBackTests.approvals(h).map(\.state) == ["delegated", "pending"])
    }

    @Test("a delegate F&O has no user for: nothing sent, the card opens again saying why, and a new decision counts")
    func delegateWithoutUser() throws {
        let (h, _, ts) = try InteractionTests.withApprovalCard()
        // Julia's F&O user carries another address than her Slack profile.
        let moved = try h.sandbox.sendJSON("PUT", "/_sandbox/odata/SystemUsers", #"{"UserID":"julia","Email":"j.funderburk@fabrikam.example"}"#)
        #expect(moved.status == 200)
        _ = try Self.open(.delegate, h, ts: ts)
        #expect(try Self.submit(h, Self.delegation(to: "U05JULIA")).status == 200)
        try h.drain()
        #expect(try InteractionTests.completions(h).isEmpty)
        #expect(try h.sandbox.requests().filter { ($0["path"] as? String ?? "").hasSuffix(".complete") }.isEmpty)
        #expect(try InteractionTests.state(h) == "pending")
        let card = try Self.current(h, ts: ts)
        #expect(card.contains("Could not delegate: Dynamics 365 has no user with the email address julia.funderburk@contoso.example"))
        #expect(card.contains("mlc.delegate") && card.contains("mlc.approve"), "the buttons stay")
        let audit = try h.cli.run(["audit", "--event", ApprovalWriteBackTests.eventID]).stdoutText
        #expect(audit.contains("not sent") && audit.contains("the card is open again"))

        #expect(try InteractionTests.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        try h.drain()
        #expect(try InteractionTests.completions(h).map { $0["outcome"] as? String } == ["Approve"])
        #expect(try InteractionTests.state(h) == "approved")
        #expect(!(try Self.current(h, ts: ts)).contains("Could not delegate"), "the note goes with the decision")
    }

    @Test("a worker killed mid-job on a delegation or a change request: one completion, the card ends as decided",
          .timeLimit(.minutes(3)),
          arguments: [(ApprovalDecision.delegate, "SystemUsers", "GET", false), (.delegate, ".complete", "POST", true),
                      (.requestChange, ".complete", "POST", true)])
    func killed(decision: ApprovalDecision, match: String, method: String, applied: Bool) throws {
        let (h, _, ts) = try InteractionTests.withApprovalCard()
        _ = try Self.open(decision, h, ts: ts)
        try h.sandbox.lostAnswer(match: match, status: nil, delayMilliseconds: 60_000, method: method, apply: applied)
        let values = decision == .delegate ? Self.delegation(to: "U05JULIA") : ["mlc.reason": ["mlc.reason_input": "Wrong cost centre"]]
        #expect(try Self.submit(h, values).status == 200)
        try ApprovalWriteBackTests.killWorker(h, whileSandboxHolds: match)
        try h.drain(environment: ["MLC_JOB_LEASE_SECONDS": "8"], timeout: 90)
        let done = try InteractionTests.completions(h)
        #expect(done.count == 1, "\(decision) \(match)")
        #expect(done.first?["outcome"] as? String == (decision == .delegate ? "Delegate" : "RequestChange"))
        #expect(try InteractionTests.state(h) == (decision == .delegate ? "delegated" : "change_requested"))
        #expect(try Self.current(h, ts: ts).contains(decision == .delegate ? "Delegated to <@U05JULIA>" : "Change requested by <@U04ALICIA>"))
    }
}
