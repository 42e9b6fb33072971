import Core
import Domain
import Outbound

/// Queues an approval's reminders (`remind_approval` jobs scheduled for their time, `ReminderSchedule`): one job per
/// point and due time, whose dedupe key (`remind:<approval>:<point>@<due>`) makes a point never queued twice, by any
/// number of workers or re-reads. The approver's quiet hours are those of their Slack time zone (`users.info`).
struct ReminderScheduler {
    let db: PostgresConnection
    let slack: SlackClient
    let caller: OutboundCaller

    /// The reminders of `approval`, whose work item is due at `due` (Unix seconds): nothing without points in the
    /// catalog or a Slack user to remind. The approver's time zone is asked only when there are quiet hours to keep.
    func schedule(_ approval: ApprovalRecord, due: Int64, settings: ReminderSettings) throws {
        guard !settings.points.isEmpty, let user = approval.approverSlackID else { return }
        let zone = settings.quietHours == nil ? (name: nil, offset: 0) : try timeZone(of: user)
        let jobs = JobStore(db)
        let reminders = ReminderSchedule.reminders(due: due, settings: settings, now: try jobs.now(), utcOffset: zone.offset)
        for reminder in reminders {
            var args: JSONObject = ["approval_id": .number(String(approval.id)), "point": .string(reminder.point.description),
                                    "due": .number(String(due))]
            if let eventID = approval.eventID { args["event_id"] = .string(eventID) }
            try jobs.enqueue(.remindApproval, connectionID: approval.connectionID, businessEventRowID: approval.businessEventRowID,
                             args: args, runAt: reminder.runAt, dedupeKey: "remind:\(approval.id):\(reminder.point)@\(due)")
        }
        caller.record(action: "approval.remind", detail: "work item \(approval.workItemID) due \(ReminderPoint.utcText(due)): "
                      + (reminders.isEmpty ? "no reminder point ahead"
                         : reminders.map { "\($0.point) at \(ReminderPoint.utcText($0.runAt))" }.joined(separator: ", "))
                      + (settings.quietHours.map { " (quiet hours \($0) in the approver's time zone \(zone.name ?? "UTC"))" } ?? ""))
    }

    /// The approver's Slack time zone now; UTC when Slack does not say.
    func timeZone(of user: String) throws -> (name: String?, offset: Int) {
        let zone = try slack.timeZone(ofUser: user)
        return (zone.name, zone.offset ?? 0)
    }
}
