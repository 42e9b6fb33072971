import Core
import Domain
import Outbound
import Logging

/// Writes an approver's decision to the F&O workflow (`decide_approval`, DESIGN.md §2.2 step 3): the card first
/// shows "recording…", then `validate` checks the work item is still open and `complete` records the outcome
/// with the comment — never a PATCH of a posted document. The card ends showing who decided, when and why, or why
/// nothing was recorded. A 429 or 503 goes back to the queue with the approval still `deciding`; the next
/// attempt validates again, so a completed item is never completed twice.
struct DecideApprovalJob {
    let context: JobContext
    let job: ClaimedJob

    func run() throws -> JobOutcome {
        guard let approvalID = job.args["approval_id"]?.int64Value else { return .discard(error: "decide_approval job without approval") }
        let approvals = ApprovalStore(context.db)
        guard let approval = try approvals.record(id: approvalID), approval.state.awaitsWriteBack,
              let decision = approval.decision, let user = approval.decidedBy
        else { return .completed }  // already settled: nothing to write
        let connection = try context.connection(approval.connectionID)
        let scope = OutboundCaller.Scope(connection: connection.record.name, eventID: job.eventID, jobID: job.id)
        let caller = context.caller(scope)
        let slack = try context.slack(connectionID: approval.connectionID, scope: scope)
        let renderer = CardRenderer(dynamicsURL: nil, dimensionFormat: nil)
        let card = approval.card.flatMap { try? JSONParser.parse(Array($0.utf8)) }.flatMap(SlackCard.init(json:))
        let word = decision.noun
        let update = { (card: SlackCard) in updateCard(card, approval: approval, slack: slack, store: approvals) }

        if job.attempt == 1, let card { update(renderer.recording(card, decision: word, by: user)) }
        let actions = try context.catalog(approval.connectionID).workflowActions
        let outcome = decision == .approve ? actions.approveOutcome : actions.rejectOutcome
        let comment = approval.reason ?? ""
        let dynamics = try context.dynamics(connectionID: approval.connectionID, scope: scope)
        do {
            let valid = try dynamics.action(actions.validate.path, body: actions.validate.body(workItem: approval.workItemID, outcome: outcome, comment: comment),
                                            action: "workflow.validate")
            guard valid?["value"]?.boolValue == true else {
                try approvals.apply(.foundClosed, approvalID: approval.id)
                caller.record(action: "approval.decided", outcome: .error,
                              detail: "\(word) by \(user) not recorded: work item \(approval.workItemID) is no longer open in F&O")
                if let card {
                    update(renderer.withStatus(card, status: "Not recorded: this work item is no longer open in Dynamics 365 "
                                               + "(it was completed or reassigned there)."))
                }
                return .completed
            }
            _ = try dynamics.action(actions.complete.path, body: actions.complete.body(workItem: approval.workItemID, outcome: outcome, comment: comment),
                                    action: "workflow.complete")
        } catch let error as PlatformError where error.disposition == .permanent {
            try approvals.apply(.refused, approvalID: approval.id)
            let reason = error.reason ?? error.message
            caller.record(action: "approval.decided", outcome: .error, detail: "\(word) by \(user) refused by F&O: \(reason)")
            if let card {
                update(renderer.withStatus(card, status: "Dynamics 365 did not record the \(word) by <@\(SlackText.escape(user))>: "
                                           + SlackText.escape(reason)))
            }
            return .discard(error: error.message)
        }
        try approvals.apply(.recorded(decision), approvalID: approval.id)
        caller.record(action: "approval.decided", detail: "\(outcome) by \(user) recorded in F&O for work item \(approval.workItemID)"
                      + (comment.isEmpty ? "" : "; comment: \(comment)"))
        if let card {
            update(renderer.decided(card, outcome: decision.pastTense, by: user, at: approval.decidedAt ?? "", reason: approval.reason))
        }
        return .completed
    }

    /// Card updates are best effort: the decision is in F&O whatever Slack answers, and the audit says so.
    private func updateCard(_ card: SlackCard, approval: ApprovalRecord, slack: SlackClient, store: ApprovalStore) {
        guard let channel = approval.channelID, let ts = approval.messageTS else { return }
        var arguments = card.json.objectValue ?? JSONObject()
        arguments["channel"] = .string(channel)
        arguments["ts"] = .string(ts)
        do {
            try slack.call("chat.update", arguments, action: "slack.update")
            try store.saveCard(card.json, approvalID: approval.id)
        } catch {
            context.logger.warning("could not update the card", metadata: ["approval": "\(approval.id)", "error": "\(error)"])
        }
    }
}
