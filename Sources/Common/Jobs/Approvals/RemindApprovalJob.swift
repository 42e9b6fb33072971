import Core
import Domain
import Outbound

/// One reminder of a pending approval (`remind_approval`, queued for its time by `ReminderScheduler`), posted in the
/// card's own thread. Before posting, F&O is asked again: an approval no longer pending (decided here or in F&O)
/// gets none; a work item F&O gave to someone else — reassigned, or escalated — closes the card and brings the new
/// assignee a card of their own, with reminders of its own (`ApprovalSettlement`); a due time F&O moved queues the
/// points for the new one instead. In the approver's quiet hours (their Slack time zone now) the job waits for their
/// end. Every outcome is audited as `approval.remind`.
///
/// The reply carries message `metadata` naming the job; a retry (an earlier attempt's answer may have been lost)
/// first looks for it among the thread's replies and posts nothing when it is there, so one point is one reply.
struct RemindApprovalJob {
    static let metadataEventType = "ml_connector_reminder"
    /// How many replies of the thread a retry looks through.
    static let repliesLimit = 100

    let context: JobContext
    let job: ClaimedJob

    func run() throws -> JobOutcome {
        guard let approvalID = job.args["approval_id"]?.int64Value, let point = job.args["point"]?.stringValue.flatMap(ReminderPoint.init),
              let due = job.args["due"]?.int64Value
        else { return .discard(error: "remind_approval job without approval, point or due time") }
        guard let approval = try ApprovalStore(context.db).record(id: approvalID) else {
            return .discard(error: "approval \(approvalID) no longer exists")
        }
        let scope = OutboundCaller.Scope(connection: try context.connection(approval.connectionID).record.name, eventID: job.eventID,
                                         jobID: job.id)
        let caller = context.caller(scope)
        func skipped(_ why: String) -> JobOutcome {
            caller.record(action: "approval.remind", detail: "\(point) reminder for work item \(approval.workItemID) not sent: \(why)")
            return .completed
        }
        guard approval.state.isOpen else { return skipped("the approval is \(approval.state.rawValue)") }
        guard let channel = approval.channelID, let thread = approval.messageTS else {
            return .retry(error: "the approval's card is not posted yet", after: 60)
        }
        let settings = try context.catalog(approval.connectionID).reminders
        guard settings.points.contains(point) else { return skipped("\(point) is no longer a reminder point of the catalog") }

        let reading = try WorkItemReader(dynamics: try context.dynamics(connectionID: approval.connectionID, scope: scope))
            .reading(approval.workItemID)
        if case .settle(let transition, let note, let reassignedTo) = ApprovalSettlement.step(for: approval, reading: reading) {
            try ApprovalFollowUp(db: context.db, caller: caller).settle(approval, transition, note: note, reassignedTo: reassignedTo)
            return skipped("F&O reads \(reading.status ?? "not found")" + (note.map { ", \($0)" } ?? ""))
        }
        let slack = try context.slack(connectionID: approval.connectionID, scope: scope)
        let scheduler = ReminderScheduler(db: context.db, slack: slack, caller: caller)
        guard reading.due == due else {
            if let moved = reading.due { try scheduler.schedule(approval, due: moved, settings: settings) }
            return skipped("F&O moved the due time from \(ReminderPoint.utcText(due)) to "
                           + (reading.due.map(ReminderPoint.utcText) ?? "none"))
        }
        let now = try JobStore(context.db).now()
        if let user = approval.approverSlackID, let quiet = settings.quietHours {
            let zone = try scheduler.timeZone(of: user)
            if let end = quiet.end(containing: now, utcOffset: zone.offset) {
                caller.record(action: "approval.remind", detail: "\(point) reminder for work item \(approval.workItemID) held back: "
                              + "quiet hours \(quiet) in \(zone.name ?? "UTC") until \(ReminderPoint.utcText(end))")
                return .snooze(error: "the approver's quiet hours until \(ReminderPoint.utcText(end))", seconds: Int(end - now), rateKey: nil)
            }
        }
        if job.attempt > 1, try earlierReply(in: channel, thread: thread, slack: slack, caller: caller) {
            return skipped("this job's earlier reply is in the card's thread (its answer was lost)")
        }
        try slack.call("chat.postMessage", ["channel": .string(channel), "thread_ts": .string(thread),
                                            "text": .string(point.message(due: due, now: now)),
                                            "metadata": metadata.json],
                       action: "slack.post", detail: "reminder in the card's thread")
        caller.record(action: "approval.remind", detail: "\(point) reminder for work item \(approval.workItemID) sent to "
                      + (approval.approverSlackID.map { "<@\($0)>" } ?? channel) + " in the card's thread")
        return .completed
    }

    private var metadata: JobMessageMetadata { JobMessageMetadata(eventType: Self.metadataEventType, jobID: job.id) }

    /// Whether this job's reply is already in the thread (`conversations.replies`, by its metadata). False when Slack
    /// cannot say (then the reminder is posted, and the audit says it could not look).
    private func earlierReply(in channel: String, thread: String, slack: SlackClient, caller: OutboundCaller) throws(PlatformError) -> Bool {
        do {
            return try slack.replies(channel: channel, thread: thread, limit: Self.repliesLimit).contains(where: metadata.marks)
        } catch {
            guard error.disposition == .permanent else { throw error }
            caller.record(action: "slack.history", outcome: .error, detail: "could not look for an earlier reminder: \(error.message)")
            return false
        }
    }
}
