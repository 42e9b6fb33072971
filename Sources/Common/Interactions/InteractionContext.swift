import Core
import Domain
import Inbound
import Outbound
import Logging

/// One verified Slack delivery being answered: the payload kinds of DESIGN.md §5.2.
struct InteractionContext {
    struct BadRequest: Error { let message: String }

    let db: PostgresConnection
    let receipts: InteractionReceiptStore
    let approvals: ApprovalStore
    let connectionID: Int64
    let name: String
    let box: SecretBox
    let http: HTTPClient
    let logger: Logger

    // MARK: Events API (JSON)

    func eventsAPI(_ body: [UInt8]) throws -> InboundResponse {
        guard let object = try? JSONParser.parse(body).objectValue else { throw BadRequest(message: "malformed JSON") }
        switch object["type"]?.stringValue {
        case "url_verification":
            return .json(200, ["challenge": object["challenge"] ?? ""])
        case "event_callback":
            guard let eventID = object["event_id"]?.stringValue else { throw BadRequest(message: "event_callback without event_id") }
            let first = try receipts.firstDelivery(connectionID: connectionID, kind: .event, key: eventID)
            audit("interaction.received", detail: "event_callback \(first ? "" : "(repeated delivery) ")\(object["event"]?["type"]?.stringValue ?? "")")
            return InboundResponse(status: 200)
        default:
            return InboundResponse(status: 200)
        }
    }

    // MARK: Interactivity (form with payload=…)

    func form(_ body: [UInt8]) throws -> InboundResponse {
        let fields = FormURLEncoding.parse(String(decoding: body, as: UTF8.self))
        if fields.contains(where: { $0.name == "ssl_check" && $0.value == "1" }) { return InboundResponse(status: 200) }
        guard let payloadText = fields.first(where: { $0.name == "payload" })?.value,
              let payload = try? JSONParser.parse(Array(payloadText.utf8)).objectValue
        else { throw BadRequest(message: "missing or malformed payload") }
        switch payload["type"]?.stringValue {
        case "block_actions": return try blockActions(payload)
        case "view_submission": return try viewSubmission(payload)
        default: return InboundResponse(status: 200)
        }
    }

    private func blockActions(_ payload: JSONObject) throws -> InboundResponse {
        guard let action = payload["actions"]?.arrayValue?.first, let user = payload["user"]?["id"]?.stringValue,
              let actionID = action["action_id"]?.stringValue,
              actionID == CardRenderer.approveActionID || actionID == CardRenderer.rejectActionID
        else { return InboundResponse(status: 200) }  // not one of our buttons
        let trigger = payload["trigger_id"]?.stringValue ?? ""
        guard try receipts.firstDelivery(connectionID: connectionID, kind: .trigger, key: trigger) else {
            audit("interaction.received", detail: "repeated delivery of trigger \(trigger.prefix(20))… from \(user): acknowledged, not acted on")
            return InboundResponse(status: 200)
        }
        let reference = action["value"]?.stringValue ?? ""
        let responseURL = payload["response_url"]?.stringValue
        guard let approval = try approvals.record(reference: reference, connectionID: connectionID) else {
            deny(user: user, reason: "This approval is not known to ml-connector.", responseURL: responseURL, eventID: nil)
            return InboundResponse(status: 200)
        }
        audit("interaction.received", eventID: approval.eventID,
              detail: "\(actionID == CardRenderer.approveActionID ? "approve" : "reject") clicked by \(user) on work item \(approval.workItemID)")
        if let refusal = approval.refusal(forClickBy: user) {
            deny(user: user, reason: refusal.message, responseURL: responseURL, eventID: approval.eventID)
            return InboundResponse(status: 200)
        }
        if actionID == CardRenderer.rejectActionID {
            try openReasonModal(trigger: trigger, approval: approval)
            return InboundResponse(status: 200)
        }
        try decide(approval, user: user, decision: .approve, reason: nil, responseURL: responseURL)
        return InboundResponse(status: 200)
    }

    private func viewSubmission(_ payload: JSONObject) throws -> InboundResponse {
        guard let view = payload["view"], view["callback_id"]?.stringValue == RejectReasonModal.callbackID,
              let user = payload["user"]?["id"]?.stringValue
        else { return InboundResponse(status: 200) }
        let reason: String
        switch RejectReasonModal.reason(in: view) {
        case .success(let text): reason = text
        case .failure(let problem): return Self.modalError(problem.message)
        }
        let reference = view["private_metadata"]?.stringValue ?? ""
        guard let approval = try approvals.record(reference: reference, connectionID: connectionID) else {
            return Self.modalError("This approval is not known to ml-connector.")
        }
        let submission = payload["trigger_id"]?.stringValue ?? view["id"]?.stringValue ?? ""
        guard try receipts.firstDelivery(connectionID: connectionID, kind: .trigger, key: submission) else {
            audit("interaction.received", eventID: approval.eventID, detail: "repeated rejection submission: not acted on")
            return InboundResponse(status: 200)
        }
        if let refusal = approval.refusal(forClickBy: user) {
            audit("approval.denied", outcome: .error, eventID: approval.eventID, detail: "rejection by \(user) refused: \(refusal.message)")
            return Self.modalError(refusal.message)
        }
        try decide(approval, user: user, decision: .reject, reason: reason, responseURL: nil)
        return InboundResponse(status: 200)
    }

    // MARK: Effects

    /// pending → deciding and the write-back job, in one transaction.
    private func decide(_ approval: ApprovalRecord, user: String, decision: ApprovalDecision, reason: String?, responseURL: String?) throws {
        let won = try db.transaction { db -> Bool in
            guard try ApprovalStore(db).beginDecision(approvalID: approval.id, user: user, decision: decision, reason: reason) else {
                return false
            }
            var args = JSONObject()
            args["approval_id"] = .number(String(approval.id))
            args["event_id"] = approval.eventID.map(JSONValue.string) ?? .null
            try JobStore(db).enqueue(
                .decideApproval, connectionID: connectionID, businessEventRowID: approval.businessEventRowID, args: args,
                rateKey: RateKey.dynamics(connectionID: connectionID), dedupeKey: "decide:\(approval.id):\(approval.reference)")
            try AuditStore(db).record(AuditEntry(action: "approval.decided", connection: name, eventID: approval.eventID,
                                                 detail: "\(decision.rawValue) by \(user) on work item \(approval.workItemID) queued for Dynamics 365"
                                                   + (reason.map { "; reason: \($0)" } ?? "")))
            return true
        }
        if !won {
            let current = try approvals.record(reference: approval.reference, connectionID: connectionID)
            deny(user: user, reason: current?.refusal(forClickBy: user)?.message ?? "This approval was already decided.", responseURL: responseURL,
                 eventID: approval.eventID)
        }
    }

    private func openReasonModal(trigger: String, approval: ApprovalRecord) throws {
        let secrets = try ConnectionStore(db).secrets(connectionID: connectionID, fields: [.slackBotToken], box: box)
        guard let token = secrets[.slackBotToken], let record = try ConnectionStore(db).record(id: connectionID) else { return }
        let caller = OutboundCaller(http: http, audit: AuditStore(db),
                                    scope: .init(connection: name, eventID: approval.eventID), logger: logger)
        do {
            try SlackClient(caller: caller, token: token, baseURL: record.slackAPIURL, connectionID: connectionID).call(
                "views.open", ["trigger_id": .string(trigger), "view": RejectReasonModal.view(reference: approval.reference, summary: approval.summary)],
                action: "slack.modal", detail: "reason for rejecting work item \(approval.workItemID)")
        } catch {
            logger.warning("could not open the reason modal", metadata: ["error": "\(error.message)"])
        }
    }

    /// An audited refusal and an ephemeral explanation to the person, through the click's response_url.
    private func deny(user: String, reason: String, responseURL: String?, eventID: String?) {
        audit("approval.denied", outcome: .error, eventID: eventID, detail: "click by \(user) refused: \(reason)")
        guard let responseURL else { return }
        guard URLPolicy.isSlackResponseURL(responseURL) else {
            audit("slack.ephemeral", outcome: .error, eventID: eventID, detail: "not sent: the response_url is not Slack's")
            return
        }
        let caller = OutboundCaller(http: http, audit: AuditStore(db), scope: .init(connection: name, eventID: eventID), logger: logger)
        let body: JSONValue = ["response_type": "ephemeral", "replace_original": false, "text": .string(reason)]
        _ = try? caller.send(HTTPRequest(method: "POST", url: responseURL, headers: [("Content-Type", "application/json")],
                                         body: body.serializedBytes()),
                             action: "slack.ephemeral", detail: "to \(user)", target: "/response_url")
    }

    private func audit(_ action: String, outcome: AuditEntry.Outcome = .ok, eventID: String? = nil, detail: String) {
        do {
            try AuditStore(db).record(AuditEntry(action: action, outcome: outcome, connection: name, eventID: eventID, detail: detail))
        } catch {
            logger.warning("could not write an audit row", metadata: ["action": "\(action)", "error": "\(error)"])
        }
    }

    static func modalError(_ message: String) -> InboundResponse {
        .json(200, ["response_action": "errors", "errors": .object([RejectReasonModal.blockID: .string(message)])])
    }
}
