import Core
import Domain
import Outbound

/// Writes an approver's decision to the F&O workflow exactly once (`decide_approval`, DESIGN.md §7 Approvals):
/// approve, reject, request change or delegate, with the outcome words of the connection's catalog. A delegation's
/// Slack user is first resolved to an F&O user (`users.info` email → `SystemUsers`) and kept on the approval.
///
/// The work item is read first — still `Pending` for the same user, or the decision is not sent
/// (`ApprovalSettlement`): completed elsewhere closes the card, delegated or reassigned closes it and brings the new
/// assignee a card. `validate` is asked, then `completing` is committed and only then `complete` is sent. When its
/// answer is lost (timeout, 5xx, reset, a worker that died — the next run finds `completing`), the work item is
/// read again: `Completed` means recorded, still pending for the same user means `complete` may be sent again,
/// and when F&O cannot be asked the approval is `unconfirmed` and re-checked by the queue. Never a blind second
/// `complete`, never "not recorded" for a decision F&O recorded. Every state change redraws the card (`update_card`).
struct DecideApprovalJob {
    let context: JobContext
    let job: ClaimedJob

    func run() throws -> JobOutcome {
        guard let approvalID = job.args["approval_id"]?.int64Value else { return .discard(error: "decide_approval job without approval") }
        let approvals = ApprovalStore(context.db)
        guard var approval = try approvals.record(id: approvalID), approval.state.awaitsWriteBack,
              let decision = approval.decision, let user = approval.decidedBy
        else { return .completed }  // already settled: nothing to write
        let scope = OutboundCaller.Scope(connection: try context.connection(approval.connectionID).record.name, eventID: job.eventID,
                                         jobID: job.id)
        let caller = context.caller(scope)
        let followUp = ApprovalFollowUp(db: context.db, caller: caller)
        if approval.state == .deciding, job.attempt == 1 { try followUp.cardChanged(approval) }  // "Recording…"
        let dynamics = try context.dynamics(connectionID: approval.connectionID, scope: scope)
        let reader = WorkItemReader(dynamics: dynamics)

        let reading: WorkItemReading
        do {
            reading = try reader.reading(approval.workItemID)
        } catch let error as PlatformError where approval.state == .completing || approval.state == .unconfirmed {
            return try unconfirmed(approval, followUp: followUp, error: error.message)
        }
        switch ApprovalSettlement.step(for: approval, reading: reading) {
        case .keep:
            return .completed
        case .recheck:
            return try unconfirmed(approval, followUp: followUp, error: "work item \(approval.workItemID) reads \(reading.status ?? "not found")")
        case .settle(let transition, let note, let reassignedTo):
            try followUp.settle(approval, transition, note: note, reassignedTo: reassignedTo)
            caller.record(action: "approval.decided", outcome: transition == .recorded(decision) ? .ok : .error,
                          detail: "\(decision.noun) by \(user) for work item \(approval.workItemID): "
                          + (transition == .recorded(decision) ? "recorded in F&O" : "not sent, \(note ?? "decided in F&O")"))
            return .completed
        case .send:
            break
        }

        let actions = try context.catalog(approval.connectionID).workflowActions
        guard let outcome = actions.outcome(for: decision) else {
            let reason = "this connection's catalog offers no \(decision.noun) outcome (workflowActions.outcomes)"
            try followUp.settle(approval, .refused, note: reason, reassignedTo: nil)
            caller.record(action: "approval.decided", outcome: .error, detail: "\(decision.noun) by \(user) not sent: \(reason)")
            return .discard(error: reason)
        }
        let comment = approval.reason ?? ""
        if decision == .delegate, approval.delegateUser == nil {
            switch try resolveDelegate(approval, slack: try context.slack(connectionID: approval.connectionID, scope: scope), reader: reader,
                                       followUp: followUp) {
            case .resolved(let resolved): approval = resolved
            case .reopened(let why):
                caller.record(action: "approval.decided", outcome: .error,
                              detail: "delegation by \(user) of work item \(approval.workItemID) not sent: \(why); the card is open again")
                return .completed
            }
        }
        let delegate = approval.delegateUser ?? ""
        if approval.state == .deciding || approval.state == .failed {
            let valid = try dynamics.action(actions.validate.path, body: actions.validateBody(workItem: approval.workItemID, decision: decision,
                                                                                              comment: comment),
                                            action: "workflow.validate")
            guard valid?["value"]?.boolValue == true else {
                try followUp.settle(approval, .closedInDynamics, note: "F&O says the work item is no longer open", reassignedTo: nil)
                caller.record(action: "approval.decided", outcome: .error,
                              detail: "\(decision.noun) by \(user) not sent: work item \(approval.workItemID) is no longer open in F&O")
                return .completed
            }
        }
        guard let sending = try approvals.apply(.send, approvalID: approval.id) ?? (approval.state == .completing ? approval : nil) else {
            return .completed  // another run moved it meanwhile
        }
        do {
            let body = actions.completeBody(workItem: approval.workItemID, decision: decision, comment: comment, delegate: delegate)
            _ = try dynamics.action(actions.complete.path, body: body ?? [:], action: "workflow.complete")
        } catch let error as PlatformError {
            return try settleLostAnswer(sending, error: error, reader: reader, followUp: followUp, caller: caller)
        }
        try followUp.settle(sending, .recorded(decision), note: decision == .delegate ? ApprovalSettlement.delegationNote(sending) : nil,
                            reassignedTo: nil)
        caller.record(action: "approval.decided", detail: "\(outcome) by \(user) recorded in F&O for work item \(approval.workItemID)"
                      + (delegate.isEmpty ? "" : " (delegate \(delegate))") + (comment.isEmpty ? "" : "; comment: \(comment)"))
        return .completed
    }

    private enum Resolution {
        case resolved(ApprovalRecord)
        case reopened(String)
    }

    /// The delegate chosen in Slack as an F&O user, before anything is sent: their Slack email (`users.info`) and
    /// the system user with it (`SystemUsers`). Kept on the approval, so a lost `complete` is settled against the
    /// same user. A delegate F&O cannot know — no email in Slack, no such user, the approver themselves — opens the
    /// card again with why; Slack or F&O not answering is retried.
    private func resolveDelegate(_ approval: ApprovalRecord, slack: SlackClient, reader: WorkItemReader,
                                 followUp: ApprovalFollowUp) throws -> Resolution {
        let chosen = approval.delegateSlackID ?? ""
        func reopen(_ why: String) throws -> Resolution {
            let note = "Could not delegate: \(why). Choose someone else, or decide yourself."
            if let reopened = try ApprovalStore(context.db).reopen(approvalID: approval.id, note: note) { try followUp.cardChanged(reopened) }
            return .reopened(why)
        }
        let lookup = Result { () throws(PlatformError) -> String? in try slack.email(ofUser: chosen) }
        if case .failure(let error) = lookup, error.disposition == .permanent {
            return try reopen("Slack does not know the person chosen (\(error.code ?? error.message))")
        }
        guard let email = try lookup.get() else { return try reopen("Slack shows no email address for the person chosen") }
        guard let userID = try reader.userID(email: email) else {
            return try reopen("Dynamics 365 has no user with the email address \(email)")
        }
        if userID.lowercased() == approval.assignee.lowercased() { return try reopen("the work item is already assigned to them in Dynamics 365") }
        guard let resolved = try ApprovalStore(context.db).resolveDelegate(approvalID: approval.id, user: userID) else {
            throw PlatformError(.retry(after: nil), "approval \(approval.id) moved while its delegate was looked up")
        }
        return .resolved(resolved)
    }

    /// `complete` did not answer success: F&O is asked what happened. A definite refusal of a work item still
    /// pending is a failure with F&O's words; a lost answer with the item still pending is sent again on the next
    /// attempt (after reading again); what cannot be asked now is `unconfirmed`.
    private func settleLostAnswer(_ approval: ApprovalRecord, error: PlatformError, reader: WorkItemReader, followUp: ApprovalFollowUp,
                                  caller: OutboundCaller) throws -> JobOutcome {
        guard !error.deadlineReached else { return .retry(error: error.message, after: nil) }  // nothing was sent
        let reading: WorkItemReading
        do {
            reading = try reader.reading(approval.workItemID)
        } catch let readError as PlatformError {
            return try unconfirmed(approval, followUp: followUp, error: "\(error.message); then \(readError.message)")
        }
        switch ApprovalSettlement.step(for: approval, reading: reading) {
        case .settle(let transition, let note, let reassignedTo):
            try followUp.settle(approval, transition, note: note, reassignedTo: reassignedTo)
            caller.record(action: "approval.decided", outcome: transition == .recorded(approval.decision ?? .approve) ? .ok : .error,
                          detail: "after \"\(error.message)\", work item \(approval.workItemID) reads \(reading.status ?? "not found")")
            return .completed
        case .send where error.disposition == .permanent:
            let reason = error.reason ?? error.message
            try followUp.settle(approval, .refused, note: reason, reassignedTo: nil)
            caller.record(action: "approval.decided", outcome: .error,
                          detail: "\(approval.decision?.noun ?? "decision") by \(approval.decidedBy ?? "?") refused by F&O: \(reason)")
            return .discard(error: error.message)
        case .send, .keep:
            guard job.attempt < job.maxAttempts else { return try unconfirmed(approval, followUp: followUp, error: error.message) }
            return error.outcome
        case .recheck:
            return try unconfirmed(approval, followUp: followUp, error: error.message)
        }
    }

    /// Sent, not settled: `unconfirmed` on the card and for the operator, and checked again a little later without
    /// spending an attempt.
    private func unconfirmed(_ approval: ApprovalRecord, followUp: ApprovalFollowUp, error: String) throws -> JobOutcome {
        if approval.state == .completing { try followUp.settle(approval, .answerLost, note: nil, reassignedTo: nil) }
        return .snooze(error: "decision sent to F&O, not yet confirmed: \(error)", seconds: max(1, context.retryBaseSeconds * 3),
                       rateKey: nil)
    }
}
