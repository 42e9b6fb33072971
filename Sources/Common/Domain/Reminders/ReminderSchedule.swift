/// When a pending approval's reminders go out (pure; the reminder jobs are queued for these times).
///
/// Each point's time is the due time less the point. A time in the approver's quiet hours moves to the end of that
/// quiet period — also for the `due` point, so an item falling due at night is brought up first thing in the morning,
/// never skipped. A time already past when the schedule is made is skipped (a card posted late is itself the nudge).
/// Points that land on the same time or overtake a point nearer the due time (two points in one night, moved to the
/// same morning) are one reminder: the one nearest the due time.
public enum ReminderSchedule {
    public struct Reminder: Sendable, Equatable {
        public let point: ReminderPoint
        /// Unix seconds.
        public let runAt: Int64

        public init(point: ReminderPoint, runAt: Int64) {
            self.point = point
            self.runAt = runAt
        }
    }

    /// The reminders for a work item due at `due` (Unix seconds), made at `now`, for an approver `utcOffset` seconds
    /// east of UTC (Slack's `tz_offset`), in time order.
    public static func reminders(due: Int64, settings: ReminderSettings, now: Int64, utcOffset: Int) -> [Reminder] {
        // Nearest the due time first, so a point that lands on or after a nearer one's time gives way to it.
        let points = Set(settings.points).sorted { $0.secondsBefore < $1.secondsBefore }
        var kept: [Reminder] = []
        for point in points {
            let time = moved(due - point.secondsBefore, quietHours: settings.quietHours, utcOffset: utcOffset)
            guard time >= now else { continue }
            if let nearer = kept.last, time >= nearer.runAt { continue }
            kept.append(Reminder(point: point, runAt: time))
        }
        return kept.reversed()
    }

    /// `time`, or the end of the quiet period it falls in.
    public static func moved(_ time: Int64, quietHours: QuietHours?, utcOffset: Int) -> Int64 {
        quietHours?.end(containing: time, utcOffset: utcOffset) ?? time
    }
}
