/// When a pending approval's approver is reminded (the catalog's `"reminders"` member): points before F&O's own due
/// time (`WorkflowWorkItems.DueDateTime`) and quiet hours in the approver's Slack time zone. No points: no reminders
/// (the standard catalog's setting; a connection turns them on with a catalog override).
public struct ReminderSettings: Sendable, Equatable {
    public let points: [ReminderPoint]
    /// Nil: any time of day.
    public let quietHours: QuietHours?

    public init(points: [ReminderPoint], quietHours: QuietHours?) {
        self.points = points
        self.quietHours = quietHours
    }

    public static let off = ReminderSettings(points: [], quietHours: nil)
}
