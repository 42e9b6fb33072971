import Core
import Domain
import Outbound

/// Redraws an approval's card for its current state (`update_card`): whatever moved it, the card ends up saying
/// where the approval stands. Drawn when the job runs, so updates that overtake each other still end right, and
/// retried like any job until Slack takes it.
struct UpdateCardJob {
    let context: JobContext
    let job: ClaimedJob

    func run() throws -> JobOutcome {
        guard let approvalID = job.args["approval_id"]?.int64Value else { return .discard(error: "update_card job without approval") }
        guard let approval = try ApprovalStore(context.db).record(id: approvalID) else {
            return .discard(error: "approval \(approvalID) no longer exists")
        }
        // Not posted yet: the post job draws the card in its current state when it records the post.
        guard let channel = approval.channelID, let ts = approval.messageTS, let text = approval.card,
              let posted = SlackCard(json: try JSONParser.parse(Array(text.utf8)))
        else { return .completed }
        let card = CardRenderer(dynamicsURL: nil, dimensionFormat: nil).current(posted, for: approval)
        var arguments = card.json.objectValue ?? JSONObject()
        arguments["channel"] = .string(channel)
        arguments["ts"] = .string(ts)
        let scope = OutboundCaller.Scope(connection: try context.connection(approval.connectionID).record.name, eventID: job.eventID,
                                         jobID: job.id)
        try context.slack(connectionID: approval.connectionID, scope: scope)
            .call("chat.update", arguments, action: "slack.update", detail: "card: \(approval.state.rawValue)")
        return .completed
    }
}
