import Core
import Domain
import Outbound

/// Publishes a person's App Home "My approvals" (`publish_home`, queued when they open it and when one of their
/// approvals changes): their open approvals as ml-connector records them when the job runs, through
/// `views.publish`. Each card's link is its Slack permalink, asked for once (`chat.getPermalink`) and kept. Two
/// workers publishing one person's Home take turns (`AppHomeStore.publishing`), so the newest reading is published last.
struct PublishHomeJob {
    let context: JobContext
    let job: ClaimedJob

    func run() throws -> JobOutcome {
        guard let connectionID = job.connectionID, let user = job.args["slack_user_id"]?.stringValue, !user.isEmpty else {
            return .discard(error: "publish_home job without connection or Slack user")
        }
        let scope = OutboundCaller.Scope(connection: try context.connection(connectionID).record.name, eventID: nil, jobID: job.id)
        let slack = try context.slack(connectionID: connectionID, scope: scope)
        return try AppHomeStore(context.db).publishing(connectionID: connectionID, slackUserID: user) {
            try publish(to: user, slack: slack, scope: scope, connectionID: connectionID)
        }
    }

    /// Reads the person's approvals, asks for the permalinks not known yet, and publishes.
    private func publish(to user: String, slack: SlackClient, scope: OutboundCaller.Scope, connectionID: Int64) throws -> JobOutcome {
        let store = ApprovalStore(context.db)
        var (approvals, total) = try store.outstanding(connectionID: connectionID, slackUserID: user, limit: HomeView.listed)
        for index in approvals.indices where approvals[index].permalink == nil {
            guard let channel = approvals[index].channelID, let ts = approvals[index].messageTS else { continue }
            do {
                guard let permalink = try slack.permalink(channel: channel, ts: ts) else { continue }
                try store.recordPermalink(approvalID: approvals[index].id, permalink: permalink)
                approvals[index].permalink = permalink
            } catch let error as PlatformError where error.disposition == .permanent {
                context.caller(scope).record(action: "slack.permalink", outcome: .error,
                                             detail: "work item \(approvals[index].workItemID) listed without a link: \(error.message)")
            }
        }
        try slack.call("views.publish", ["user_id": .string(user), "view": HomeView.view(approvals: approvals, total: total)],
                       action: "slack.home", detail: "My approvals for \(user): \(total) open")
        return .completed
    }
}
