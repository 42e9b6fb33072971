import Core
import Domain
import Outbound

/// A workflow element or workflow completed in F&O (`workflow_event`): if an approval card for that work item is
/// still open, it is closed — buttons removed, "completed in Dynamics 365" — so Slack never shows a stale approval.
struct WorkflowEventJob {
    let context: JobContext
    let job: ClaimedJob

    func run() throws -> JobOutcome {
        guard let subject = try EventJobScope(job, context: context) else {
            return .discard(error: "workflow_event job without connection or event")
        }
        let (connectionID, caller, scope) = (subject.connectionID, subject.caller, subject.scope)
        let templates = TemplateContext(event: subject.event)
        guard let entry = subject.catalog.entry(for: subject.event), let workItemID = entry.workItemID?.render(in: templates) else {
            caller.record(action: "workflow.event", detail: "\(subject.event.businessEventID) names no work item")
            return .completed
        }
        let outcome = entry.outcome?.render(in: templates)
        guard let approval = try ApprovalStore(context.db).closeInDynamics(connectionID: connectionID, workItemID: workItemID) else {
            caller.record(action: "workflow.event", detail: "work item \(workItemID): no open approval card")
            return .completed
        }
        caller.record(action: "approval.superseded", detail: "work item \(workItemID) completed in F&O\(outcome.map { " (\($0))" } ?? "")")
        guard let channel = approval.channelID, let ts = approval.messageTS, let cardText = approval.card,
              let card = SlackCard(json: try JSONParser.parse(Array(cardText.utf8)))
        else { return .completed }
        let closed = CardRenderer(dynamicsURL: nil, dimensionFormat: nil).closedInDynamics(card, outcome: outcome)
        var arguments = closed.json.objectValue ?? JSONObject()
        arguments["channel"] = .string(channel)
        arguments["ts"] = .string(ts)
        try context.slack(connectionID: connectionID, scope: scope).call("chat.update", arguments, action: "slack.update",
                                                                         detail: "closed: completed in F&O")
        return .completed
    }
}
