public import Core

/// F&O dates as people read them on a card: `2025-12-10T12:00:00Z` and `/Date(1765324800000)/` → `10 Dec 2025`.
///
/// The calendar date is taken in UTC, which is what F&O means: date-only fields arrive at `T12:00:00Z` and
/// `/Date(ms)/` values count from the UTC epoch, so no time zone can move them to another day. F&O's placeholders
/// for "no date" (`1900-01-01`) and "never" (`2154-12-31`) display as nothing (reference/dynamics-fo.md §3.2).
public enum DateDisplay {
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let microsecondsPerDay: Int64 = 86_400_000_000

    /// The calendar date, or nil when the text is not an F&O date or is the empty or "never" date.
    public static func format(_ text: String) -> String? {
        FOTimestamp(text.trimmingCharacters()).flatMap(format)
    }

    /// The calendar date of a timestamp, or nil for F&O's empty and "never" dates.
    public static func format(_ timestamp: FOTimestamp) -> String? {
        let micros = timestamp.microseconds
        let days = micros >= 0 ? micros / microsecondsPerDay : (micros - microsecondsPerDay + 1) / microsecondsPerDay
        let (year, month, day) = CivilDate.date(days: Int(days))
        if (year, month, day) == (1900, 1, 1) || (year, month, day) == (2154, 12, 31) { return nil }
        return "\(day) \(monthNames[month - 1]) \(year)"
    }
}
