import Core
import Domain
import Outbound

/// A workflow event other than a work item's own (`workflow_event`: started, element or workflow completed,
/// external task). Its name never says a work item is done — the workflow-type ID fires on start and on
/// completion, and events arrive in any order — so it only prompts a re-read: the work item it names is read
/// from F&O, and each of its approvals is settled by what F&O says (`ApprovalSettlement`). A card closes only
/// when the work item is no longer pending for its assignee.
struct WorkflowEventJob {
    let context: JobContext
    let job: ClaimedJob

    func run() throws -> JobOutcome {
        guard let subject = try EventJobScope(job, context: context) else {
            return .discard(error: "workflow_event job without connection or event")
        }
        let (connectionID, caller, scope) = (subject.connectionID, subject.caller, subject.scope)
        guard let entry = subject.catalog.entry(for: subject.event),
              let workItemID = entry.workItemID?.render(in: TemplateContext(event: subject.event)) else {
            caller.record(action: "workflow.event", detail: "\(subject.event.businessEventID) names no work item")
            return .completed
        }
        let approvals = try ApprovalStore(context.db).unsettled(connectionID: connectionID, workItemID: workItemID)
        guard !approvals.isEmpty else {
            caller.record(action: "workflow.event", detail: "work item \(workItemID): no approval card to check")
            return .completed
        }
        let reading = try WorkItemReader(dynamics: try context.dynamics(connectionID: connectionID, scope: scope)).reading(workItemID)
        caller.record(action: "workflow.event", detail: "work item \(workItemID) in F&O: \(reading.status ?? "not found")"
                      + (reading.userID.map { ", assigned to \($0)" } ?? ""))
        let followUp = ApprovalFollowUp(db: context.db, caller: caller)
        for approval in approvals {
            // Sending is the write-back job's; here only what F&O's reading settles.
            if case .settle(let transition, let note, let reassignedTo) = ApprovalSettlement.step(for: approval, reading: reading) {
                try followUp.settle(approval, transition, note: note, reassignedTo: reassignedTo)
            }
        }
        return .completed
    }
}
