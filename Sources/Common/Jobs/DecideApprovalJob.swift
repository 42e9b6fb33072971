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
        guard let approval = try context.db.query(
            "SELECT \(ApprovalRecord.columns) FROM approval WHERE id = $1", [approvalID]).first.map(ApprovalRecord.init),
              ["deciding", "failed"].contains(approval.state), let decision = approval.decision, let user = approval.decidedBy
        else { return .completed }  // already settled: nothing to write
        let connection = try context.connection(approval.connectionID)
        let scope = OutboundCaller.Scope(connection: connection.record.name, eventID: job.args["event_id"]?.stringValue, jobID: job.id)
        let caller = context.caller(scope)
        let slack = try context.slack(connectionID: approval.connectionID, scope: scope)
        let renderer = CardRenderer(dynamicsURL: nil, dimensionFormat: nil)
        let card = approval.card.flatMap { try? JSONParser.parse(Array($0.utf8)) }.flatMap(SlackCard.init(json:))
        let word = decision == "approve" ? "approval" : "rejection"

        if job.attempt == 1, let card {
            updateCard(renderer.recording(card, decision: word, by: user), approval: approval, slack: slack, caller: caller)
        }
        let actions = try context.catalog(approval.connectionID).workflowActions
        let outcome = decision == "approve" ? actions.approveOutcome : actions.rejectOutcome
        let comment = approval.reason ?? ""
        let dynamics = try context.dynamics(connectionID: approval.connectionID, scope: scope)
        do {
            let valid = try dynamics.action(actions.validate.path, body: actions.validate.body(workItem: approval.workItemID, outcome: outcome, comment: comment),
                                            action: "workflow.validate")
            guard valid?["value"]?.boolValue == true else {
                try settle(approval, state: "no_longer_open")
                caller.record(action: "approval.decided", outcome: .error,
                              detail: "\(word) by \(user) not recorded: work item \(approval.workItemID) is no longer open in F&O")
                if let card {
                    updateCard(renderer.withStatus(card, status: "Not recorded: this work item is no longer open in Dynamics 365 "
                                                   + "(it was completed or reassigned there)."), approval: approval, slack: slack, caller: caller)
                }
                return .completed
            }
            _ = try dynamics.action(actions.complete.path, body: actions.complete.body(workItem: approval.workItemID, outcome: outcome, comment: comment),
                                    action: "workflow.complete")
        } catch let error as PlatformError where error.disposition == .permanent {
            try settle(approval, state: "failed")
            let reason = error.reason ?? error.message
            caller.record(action: "approval.decided", outcome: .error, detail: "\(word) by \(user) refused by F&O: \(reason)")
            if let card {
                updateCard(renderer.withStatus(card, status: "Dynamics 365 did not record the \(word) by <@\(SlackText.escape(user))>: "
                                               + SlackText.escape(reason)), approval: approval, slack: slack, caller: caller)
            }
            return .discard(error: error.message)
        }
        try settle(approval, state: decision == "approve" ? "approved" : "rejected")
        caller.record(action: "approval.decided", detail: "\(outcome) by \(user) recorded in F&O for work item \(approval.workItemID)"
                      + (comment.isEmpty ? "" : "; comment: \(comment)"))
        if let card {
            updateCard(renderer.decided(card, outcome: decision == "approve" ? "Approved" : "Rejected", by: user, at: approval.decidedAt ?? "",
                                        reason: approval.reason), approval: approval, slack: slack, caller: caller)
        }
        return .completed
    }

    private func settle(_ approval: ApprovalRecord, state: String) throws {
        try context.db.query("UPDATE approval SET state = $2, updated_at = now() WHERE id = $1", [approval.id, state])
    }

    /// Card updates are best effort: the decision is in F&O whatever Slack answers, and the audit says so.
    private func updateCard(_ card: SlackCard, approval: ApprovalRecord, slack: SlackClient, caller: OutboundCaller) {
        guard let channel = approval.channelID, let ts = approval.messageTS else { return }
        var arguments = card.json.objectValue ?? JSONObject()
        arguments["channel"] = .string(channel)
        arguments["ts"] = .string(ts)
        do {
            try slack.call("chat.update", arguments, action: "slack.update")
            try context.db.query("UPDATE approval SET card = $2::jsonb WHERE id = $1", [approval.id, card.json.serialized()])
        } catch {
            context.logger.warning("could not update the card", [("approval", String(approval.id)), ("error", "\(error)")])
        }
    }
}
