extension Migration {
    /// Version 7: the `EscalationLevel` F&O reported when an approval's card was made, so that a later reading with a
    /// higher level closes the card as escalated (reminders themselves are queue jobs, `remind_approval`).
    static let reminders = Migration(version: 7, name: "reminders and escalation", sql: #"""
    ALTER TABLE approval ADD COLUMN escalation_level integer;
    """#)
}
