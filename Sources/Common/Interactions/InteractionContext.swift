import Core
import Domain
import Inbound
import Outbound
import Logging

/// One verified Slack delivery being answered: the payload kinds of DESIGN.md §5.2.
struct InteractionContext {

    let db: PostgresConnection
    let receipts: InteractionReceiptStore
    let approvals: ApprovalStore
    let connectionID: Int64
    let name: String
    let box: SecretBox
    let http: HTTPClient
    let logger: Logger

    /// Answers a parsed delivery (`SlackDelivery`): Events API callbacks are acknowledged once per event id, our
    /// buttons' clicks and the decision modals' submissions decide approvals.
    func answer(_ delivery: SlackDelivery) throws -> InboundResponse {
        switch delivery {
        case .sslCheck, .ignored:
            return InboundResponse(status: 200)
        case .urlVerification(let challenge):
            return .json(200, ["challenge": challenge])
        case .eventCallback(let eventID, let type):
            let first = try receipts.firstDelivery(connectionID: connectionID, kind: .event, key: eventID)
            audit("interaction.received", detail: "event_callback \(first ? "" : "(repeated delivery) ")\(type)")
            return InboundResponse(status: 200)
        case .homeOpened(let eventID, let user):
            return try homeOpened(eventID: eventID, user: user)
        case .click(let click):
            return try clicked(click)
        case .submission(let submission):
            return try submitted(submission)
        }
    }

    private func clicked(_ click: SlackDelivery.Click) throws -> InboundResponse {
        let user = click.user
        guard try receipts.firstDelivery(connectionID: connectionID, kind: .trigger, key: click.trigger) else {
            audit("interaction.received", detail: "repeated delivery of trigger \(click.trigger.prefix(20))… from \(user): acknowledged, not acted on")
            return InboundResponse(status: 200)
        }
        guard let approval = try approvals.record(reference: click.reference, connectionID: connectionID) else {
            deny(user: user, reason: "This approval is not known to ml-connector.", responseURL: click.responseURL, eventID: nil)
            return InboundResponse(status: 200)
        }
        audit("interaction.received", eventID: approval.eventID,
              detail: "\(click.decision.rawValue) clicked by \(user) on work item \(approval.workItemID)")
        if let refusal = approval.refusal(forClickBy: user) {
            deny(user: user, reason: refusal.message, responseURL: click.responseURL, eventID: approval.eventID)
            return InboundResponse(status: 200)
        }
        if DecisionModal.opens(for: click.decision) {
            try openModal(for: click.decision, trigger: click.trigger, approval: approval)
            return InboundResponse(status: 200)
        }
        try decide(approval, user: user, decision: .approve, reason: nil, responseURL: click.responseURL)
        return InboundResponse(status: 200)
    }

    /// The App Home opened: the person is remembered (their Home is refreshed when their approvals change) and its
    /// publication queued — Slack wants its answer within 3 s, so `views.publish` is the job's.
    private func homeOpened(eventID: String, user: String) throws -> InboundResponse {
        let first = try db.transaction { db -> Bool in
            guard try InteractionReceiptStore(db).firstDelivery(connectionID: connectionID, kind: .event, key: eventID) else { return false }
            try AppHomeStore(db).opened(connectionID: connectionID, slackUserID: user)
            try JobStore(db).enqueueHomePublish(connectionID: connectionID, slackUserID: user)
            return true
        }
        audit("interaction.received", detail: "event_callback \(first ? "" : "(repeated delivery) ")app_home_opened by \(user)")
        return InboundResponse(status: 200)
    }

    private func submitted(_ submission: SlackDelivery.Submission) throws -> InboundResponse {
        let decision = submission.decision
        let answer: DecisionModal.Answer
        switch submission.answer {
        case .success(let given): answer = given
        case .failure(let problem): return Self.modalError(problem.message, block: problem.blockID)
        }
        guard let approval = try approvals.record(reference: submission.reference, connectionID: connectionID) else {
            return Self.modalError("This approval is not known to ml-connector.")
        }
        guard try receipts.firstDelivery(connectionID: connectionID, kind: .trigger, key: submission.submission) else {
            audit("interaction.received", eventID: approval.eventID, detail: "repeated \(decision.noun) submission: not acted on")
            return InboundResponse(status: 200)
        }
        if let refusal = approval.refusal(forClickBy: submission.user) {
            audit("approval.denied", outcome: .error, eventID: approval.eventID,
                  detail: "\(decision.noun) by \(submission.user) refused: \(refusal.message)")
            return Self.modalError(refusal.message)
        }
        if let delegate = answer.delegate, delegate == submission.user {
            return Self.modalError("Please choose someone other than yourself.", block: DecisionModal.delegateBlockID)
        }
        try decide(approval, user: submission.user, decision: decision, reason: answer.comment, delegate: answer.delegate, responseURL: nil)
        return InboundResponse(status: 200)
    }

    // MARK: Effects

    /// pending → deciding and the write-back job, in one transaction.
    private func decide(_ approval: ApprovalRecord, user: String, decision: ApprovalDecision, reason: String?, delegate: String? = nil,
                        responseURL: String?) throws {
        let won = try db.transaction { db -> Bool in
            guard let decidedAt = try ApprovalStore(db).beginDecision(approvalID: approval.id, user: user, decision: decision,
                                                                      reason: reason, delegateSlackID: delegate) else {
                return false
            }
            var args = JSONObject()
            args["approval_id"] = .number(String(approval.id))
            args["event_id"] = approval.eventID.map(JSONValue.string) ?? .null
            try JobStore(db).enqueue(
                .decideApproval, connectionID: connectionID, businessEventRowID: approval.businessEventRowID, args: args,
                rateKey: RateKey.dynamics(connectionID: connectionID), dedupeKey: "decide:\(approval.id):\(decidedAt)")
            try AuditStore(db).record(AuditEntry(action: "approval.decided", connection: name, eventID: approval.eventID,
                                                 detail: "\(decision.rawValue) by \(user) on work item \(approval.workItemID)"
                                                   + (delegate.map { " to \($0)" } ?? "") + " queued for Dynamics 365"
                                                   + (reason.map { "; \(decision == .reject ? "reason" : "comment"): \($0)" } ?? "")))
            return true
        }
        if !won {
            let current = try approvals.record(reference: approval.reference, connectionID: connectionID)
            deny(user: user, reason: current?.refusal(forClickBy: user)?.message ?? "This approval was already decided.", responseURL: responseURL,
                 eventID: approval.eventID)
        }
    }

    private func openModal(for decision: ApprovalDecision, trigger: String, approval: ApprovalRecord) throws {
        let secrets = try ConnectionStore(db).secrets(connectionID: connectionID, fields: [.slackBotToken], box: box)
        guard let token = secrets[.slackBotToken], let record = try ConnectionStore(db).record(id: connectionID) else { return }
        let caller = OutboundCaller(http: http, audit: AuditStore(db),
                                    scope: .init(connection: name, eventID: approval.eventID), logger: logger)
        do {
            try SlackClient(caller: caller, token: token, baseURL: record.slackAPIURL, connectionID: connectionID).call(
                "views.open", ["trigger_id": .string(trigger),
                               "view": DecisionModal.view(for: decision, reference: approval.reference, summary: approval.summary)],
                action: "slack.modal", detail: "\(decision.noun) of work item \(approval.workItemID)")
        } catch {
            logger.warning("could not open the decision modal", metadata: ["decision": "\(decision.rawValue)", "error": "\(error.message)"])
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

    static func modalError(_ message: String, block: String = DecisionModal.commentBlockID) -> InboundResponse {
        .json(200, ["response_action": "errors", "errors": .object([block: .string(message)])])
    }
}
