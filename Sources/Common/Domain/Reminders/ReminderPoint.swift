import Core

/// One reminder point: `24h`, `90m`, `2d` before the due time, or `due` (at it). Its name is what the reminder
/// job carries and what its dedupe key names.
public struct ReminderPoint: Sendable, Hashable, CustomStringConvertible {
    /// Seconds before the due time (0 for `due`).
    public let secondsBefore: Int64

    public init(secondsBefore: Int64) { self.secondsBefore = secondsBefore }

    /// `due`, or a whole number and a unit (`m`, `h`, `d`), between 1 minute and 30 days.
    public init?(_ text: String) {
        let text = text.trimmingCharacters().lowercased()
        if text == "due" { self.init(secondsBefore: 0); return }
        guard let unit = text.last, let count = Int64(text.dropLast()), count > 0, text.dropLast().allSatisfy(\.isASCIIDigit) else {
            return nil
        }
        let seconds: Int64
        switch unit {
        case "m": seconds = count * 60
        case "h": seconds = count * 3_600
        case "d": seconds = count * 86_400
        default: return nil
        }
        guard seconds <= 30 * 86_400 else { return nil }
        self.init(secondsBefore: seconds)
    }

    /// The canonical name: `due`, else the largest unit that divides it (`24h` is `1d`).
    public var description: String {
        if secondsBefore == 0 { return "due" }
        if secondsBefore % 86_400 == 0 { return "\(secondsBefore / 86_400)d" }
        if secondsBefore % 3_600 == 0 { return "\(secondsBefore / 3_600)h" }
        return "\(secondsBefore / 60)m"
    }
}

extension ReminderPoint {
    /// The reminder posted in the card's thread (mrkdwn): how long is left, or that the item is due or overdue, with
    /// the due time in UTC. `now` and `due` are Unix seconds.
    public func message(due: Int64, now: Int64) -> String {
        let when = "(due \(Self.utcText(due)))"
        let left = due - now
        if left <= 0 { return ":alarm_clock: Reminder: this approval is \(left < -60 ? "overdue" : "due now") \(when)." }
        let hours = (left + 1_799) / 3_600
        let span = left < 5_400 ? "\(max(1, (left + 59) / 60)) minutes" : hours < 48 ? "\(hours) hours" : "\((hours + 12) / 24) days"
        return ":alarm_clock: Reminder: this approval is due in about \(span) \(when)."
    }

    /// `YYYY-MM-DD HH:MM UTC`.
    public static func utcText(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let date = CivilDate.date(days: Int(days))
        let minute = Int((seconds - days * 86_400) / 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date.year)-\(two(date.month))-\(two(date.day)) \(two(minute / 60)):\(two(minute % 60)) UTC"
    }
}
