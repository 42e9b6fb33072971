import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation
import Testing

/// Slack → Dynamics: signed clicks to handle-slack-interaction (as CGI and as a function event), decisions written
/// back by process-job to the sandbox's workflow, cards updated.
@Suite("approvals from Slack", .serialized, .needsDatabase)
struct InteractionTests {
    static let workItem = "3D8F6A2B-91C4-4E7A-B0D5-6C1E2F3A4B5C"
    static let signingSecret = SandboxProcess.signingSecret

    /// A harness with the approval card already in Alicia's direct messages.
    static func withApprovalCard() throws -> (DeliveryHarness, reference: String, ts: String) {
        let h = try DeliveryHarness()
        try h.route("--event", "Workflow_*_WorkItem", "--approver", "--fallback-channel", "C0APPROVALS")
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        try h.drain()
        let row = try h.database.connect().query("SELECT reference, message_ts FROM approval").first!
        return (h, try row.string("reference"), try row.string("message_ts"))
    }

    static func interaction(_ h: DeliveryHarness, _ payload: [String: Any], format: RequestFormat = .cgi,
                            timestampOffset: Int = 0, secret: String = signingSecret) throws -> HandlerResponse {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
        let body = Array(("payload=" + FormURLEncoding.percentEncode(json)).utf8)
        return try signed(h, body: body, contentType: "application/x-www-form-urlencoded", format: format,
                          timestampOffset: timestampOffset, secret: secret)
    }

    static func signed(_ h: DeliveryHarness, body: [UInt8], contentType: String, format: RequestFormat = .cgi,
                       timestampOffset: Int = 0, secret: String = signingSecret) throws -> HandlerResponse {
        let timestamp = String(Int(Date().timeIntervalSince1970) + timestampOffset)
        let handler = HandlerInvocation(binary: TestEnvironment.binary("handle-slack-interaction"), databaseURL: h.database.url,
                                        extraEnvironment: ["MLC_MASTER_KEY": TestEnvironment.masterKey])
        return try handler.send(format, path: "/contoso", headers: [
            "content-type": contentType, "x-slack-request-timestamp": timestamp,
            "x-slack-signature": SlackSignature.sign(body: body, timestamp: timestamp, secret: secret),
        ], body: body)
    }

    /// A click on the recorded card's button, built and signed by the sandbox as Slack would.
    static func click(_ h: DeliveryHarness, action: String, user: String, ts: String,
                      format: RequestFormat = .cgi) throws -> HandlerResponse {
        try send(h, try h.sandbox.interaction(channel: "D04ALICIADM", ts: ts, actionID: action, user: user), format: format)
    }

    static func send(_ h: DeliveryHarness, _ signed: (headers: [String: String], body: [UInt8], triggerID: String),
                     format: RequestFormat = .cgi) throws -> HandlerResponse {
        var headers: [String: String] = [:]
        for (name, value) in signed.headers { headers[name.lowercased()] = value }
        let handler = HandlerInvocation(binary: TestEnvironment.binary("handle-slack-interaction"), databaseURL: h.database.url,
                                        extraEnvironment: ["MLC_MASTER_KEY": TestEnvironment.masterKey])
        return try handler.send(format, path: "/contoso", headers: headers, body: signed.body)
    }

    static func completions(_ h: DeliveryHarness) throws -> [[String: Any]] {
        let response = try h.sandbox.send("GET", "/_sandbox/workitems/\(workItem)")
        return (try SandboxProcess.object(response)["completions"] as? [[String: Any]]) ?? []
    }

    static func state(_ h: DeliveryHarness) throws -> String {
        try h.database.connect().query("SELECT state FROM approval").first!.string("state")
    }

    static func lastUpdate(_ h: DeliveryHarness) throws -> String {
        let updates = try h.sandbox.messages().filter { $0["method"] as? String == "chat.update" }
        return updates.last.map(DeliveryHarness.allText) ?? ""
    }

    static func ephemerals(_ h: DeliveryHarness) throws -> [String] {
        try h.sandbox.messages().filter { $0["method"] as? String == "response_url" }.compactMap { $0["text"] as? String }
    }

    @Test("approve by the approver: validate + complete(Approve) once, card updated", arguments: RequestFormat.allCases)
    func approve(format: RequestFormat) throws {
        let (h, reference, ts) = try Self.withApprovalCard()
        let response = try Self.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts, format: format)
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(try Self.state(h) == "deciding")
        try h.drain()
        let done = try Self.completions(h)
        #expect(done.count == 1)
        #expect(done.first?["outcome"] as? String == "Approve")
        #expect(try Self.state(h) == "approved")
        let card = try Self.lastUpdate(h)
        #expect(card.contains("Approved by <@U04ALICIA>"))
        #expect(!card.contains("mlc.approve"))
        let audit = try h.cli.run(["audit", "--event", "7F3E2D1C-0B9A-4876-A5B4-C3D2E1F0A9B8"]).stdoutText
        for action in ["interaction.received", "approval.decided", "workflow.validate", "workflow.complete", "slack.update"] {
            #expect(audit.contains(action), "\(action) missing from the audit")
        }
    }

    @Test("a double click, a click by someone else and a replayed delivery never write twice; each gets an explanation")
    func clicksThatCannotCount() throws {
        let (h, reference, ts) = try Self.withApprovalCard()
        #expect(try Self.click(h, action: "mlc.approve", user: "U05JULIA", ts: ts).status == 200)
        #expect(try Self.state(h) == "pending")
        #expect(try Self.count(h, "approval.denied") == 1)
        #expect(try Self.ephemerals(h).contains { $0.contains("Only <@U04ALICIA>") })

        let first = try h.sandbox.interaction(channel: "D04ALICIADM", ts: ts, actionID: "mlc.approve")
        // A click made on a stale copy of the card, arriving after the decision.
        let late = try h.sandbox.interaction(channel: "D04ALICIADM", ts: ts, actionID: "mlc.reject")
        #expect(try Self.send(h, first).status == 200)
        #expect(try Self.send(h, first).status == 200)  // the same delivery again: acknowledged, not acted on
        #expect(try Self.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        try h.drain()
        #expect(try Self.send(h, late).status == 200)
        #expect(try Self.completions(h).count == 1)
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE kind = 'decide_approval'") == 1)
        let explanations = try Self.ephemerals(h)
        #expect(explanations.contains { $0.contains("being recorded") })
        #expect(explanations.contains { $0.contains("Already approved by <@U04ALICIA>") })
    }

    static func count(_ h: DeliveryHarness, _ action: String) throws -> Int {
        try h.count("SELECT count(*) AS n FROM audit_log WHERE action = \(action)")
    }

    @Test("a click after the work item was completed in F&O records nothing and says so on the card")
    func completedInDynamics() throws {
        let (h, reference, ts) = try Self.withApprovalCard()
        _ = try h.sandbox.sendJSON("POST", "/_sandbox/workitems/\(Self.workItem)/complete", #"{"outcome":"Approve","comment":"done in F&O"}"#)
        #expect(try Self.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        try h.drain()
        #expect(try Self.completions(h).count == 1, "only the completion made in F&O")
        #expect(try Self.state(h) == "decided_in_fo")
        #expect(try Self.lastUpdate(h).contains("Completed in Dynamics 365"))
        #expect(try h.sandbox.requests().filter { ($0["path"] as? String ?? "").hasSuffix(".complete") }.isEmpty)
    }

    @Test("reject opens the reason modal; an empty reason is refused in the modal; the reason reaches F&O")
    func rejectWithReason() throws {
        let (h, reference, ts) = try Self.withApprovalCard()
        #expect(try Self.click(h, action: "mlc.reject", user: "U04ALICIA", ts: ts).status == 200)
        let modal = try #require(try h.sandbox.messages().first { $0["method"] as? String == "views.open" })
        let view = try #require(modal["view"] as? [String: Any])
        #expect(view["private_metadata"] as? String == reference)
        #expect(try Self.state(h) == "pending")

        func submit(_ reason: String, trigger: String) throws -> HandlerResponse {
            try Self.interaction(h, [
                "type": "view_submission", "user": ["id": "U04ALICIA"], "trigger_id": trigger,
                "view": ["id": "V1", "callback_id": "mlc.reject_reason", "private_metadata": reference,
                         "state": ["values": ["mlc.reason": ["mlc.reason_input": ["type": "plain_text_input", "value": reason]]]]],
            ])
        }
        let empty = try submit("   ", trigger: "S-1")
        #expect(empty.status == 200)
        #expect(empty.bodyText.contains("\"response_action\":\"errors\"") && empty.bodyText.contains("mlc.reason"))
        let long = try submit(String(repeating: "x", count: 2001), trigger: "S-2")
        #expect(long.bodyText.contains("response_action"))
        let reason = "Quantity billed (50) does not match goods received (40)."
        let accepted = try submit(reason, trigger: "S-3")
        #expect(accepted.status == 200 && accepted.body.isEmpty)
        try h.drain()
        let done = try Self.completions(h)
        #expect(done.count == 1)
        #expect(done.first?["outcome"] as? String == "Reject")
        #expect(done.first?["comment"] as? String == reason)
        #expect(try Self.state(h) == "rejected")
        #expect(try Self.lastUpdate(h).contains("Quantity billed (50)"))
    }

    @Test("F&O 429 during the write-back is retried through the queue and completes once")
    func writeBackRateLimited() throws {
        let (h, reference, ts) = try Self.withApprovalCard()
        try h.sandbox.fault(service: "odata", match: "complete", status: 429, retryAfter: 1, count: 1)
        #expect(try Self.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        try h.drain()
        #expect(try Self.completions(h).count == 1)
        #expect(try Self.state(h) == "approved")
        #expect(try Self.count(h, "job.snooze") == 1)
    }

    @Test("F&O refusing the completion: the approver reads F&O's words on the card, the job is kept discarded")
    func writeBackRefused() throws {
        let (h, _, ts) = try Self.withApprovalCard()
        try h.sandbox.fault(service: "odata", match: "complete", status: 400, count: 1)
        #expect(try Self.click(h, action: "mlc.approve", user: "U04ALICIA", ts: ts).status == 200)
        try h.drain()
        #expect(try Self.completions(h).isEmpty)
        #expect(try Self.state(h) == "failed")
        #expect(try Self.lastUpdate(h).contains("Dynamics 365 did not record the approval"))
        #expect(try Self.lastUpdate(h).contains("An error has occurred."))
        #expect(try h.count("SELECT count(*) AS n FROM job WHERE kind = 'decide_approval' AND state = 'discarded'") == 1)
        let audit = try h.cli.run(["audit", "--event", "7F3E2D1C-0B9A-4876-A5B4-C3D2E1F0A9B8"]).stdoutText
        #expect(audit.contains("refused by F&O: An error has occurred."))
    }

    @Test("bad signature, stale timestamp and missing headers are 401; nothing is parsed or changed")
    func signatures() throws {
        let (h, reference, ts) = try Self.withApprovalCard()
        let payload: [String: Any] = ["type": "block_actions", "user": ["id": "U04ALICIA"], "trigger_id": "X",
                                      "actions": [["action_id": "mlc.approve", "value": reference]],
                                      "container": ["message_ts": ts]]
        #expect(try Self.interaction(h, payload, secret: "wrong-secret").status == 401)
        #expect(try Self.interaction(h, payload, timestampOffset: -301).status == 401)
        #expect(try Self.interaction(h, payload, timestampOffset: 400).status == 401)
        let handler = HandlerInvocation(binary: TestEnvironment.binary("handle-slack-interaction"), databaseURL: h.database.url,
                                        extraEnvironment: ["MLC_MASTER_KEY": TestEnvironment.masterKey])
        #expect(try handler.send(.cgi, path: "/contoso", headers: ["content-type": "application/x-www-form-urlencoded"],
                                 body: Array("payload={}".utf8)).status == 401)
        #expect(try Self.state(h) == "pending")
        #expect(try Self.count(h, "interaction.rejected") == 0, "refusals before authentication are counted, not audited")
        #expect(try h.count("SELECT coalesce(sum(count), 0)::int AS n FROM refusal_count WHERE handler = 'slack-interaction'") == 4)
    }

    @Test("url_verification, event_callback (deduplicated on event_id) and ssl_check", arguments: RequestFormat.allCases)
    func eventsAPI(format: RequestFormat) throws {
        let h = try DeliveryHarness()
        let challenge = try Self.signed(h, body: try TestEnvironment.fixture("slack/url_verification.json"),
                                        contentType: "application/json", format: format)
        #expect(challenge.status == 200)
        #expect(challenge.bodyText.contains("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"))
        let callback = Array(#"{"type":"event_callback","event_id":"Ev123","event":{"type":"app_home_opened"}}"#.utf8)
        #expect(try Self.signed(h, body: callback, contentType: "application/json", format: format).status == 200)
        #expect(try Self.signed(h, body: callback, contentType: "application/json", format: format).status == 200)
        #expect(try h.count("SELECT count(*) AS n FROM interaction_receipt WHERE kind = 'event'") == 1)
        #expect(try Self.signed(h, body: Array("ssl_check=1&token=x".utf8), contentType: "application/x-www-form-urlencoded",
                                format: format).status == 200)
    }
}
