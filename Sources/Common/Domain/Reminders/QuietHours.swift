import Core

/// A daily quiet period in local time, `HH:MM-HH:MM`; it may wrap midnight (`20:00-08:00`).
public struct QuietHours: Sendable, Equatable, CustomStringConvertible {
    /// Minutes after local midnight; `start != end`.
    public let start: Int
    public let end: Int

    public init?(start: Int, end: Int) {
        guard (0..<1440).contains(start), (0..<1440).contains(end), start != end else { return nil }
        self.start = start
        self.end = end
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Self.minutes(parts[0]), let end = Self.minutes(parts[1]) else { return nil }
        self.init(start: start, end: end)
    }

    private static func minutes(_ text: Substring) -> Int? {
        let pieces = text.trimmingCharacters().split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count == 2, pieces[0].count == 2, pieces[1].count == 2, let hour = Int(pieces[0]), let minute = Int(pieces[1]),
              pieces[0].allSatisfy(\.isASCIIDigit), pieces[1].allSatisfy(\.isASCIIDigit), hour < 24, minute < 60 else { return nil }
        return hour * 60 + minute
    }

    /// When the quiet period holding `time` (Unix seconds) ends, for a person `offset` seconds east of UTC; nil when
    /// `time` is not in quiet hours.
    public func end(containing time: Int64, utcOffset offset: Int) -> Int64? {
        let local = time + Int64(offset)
        let day = Self.floorDiv(local, 86_400) * 86_400
        let minute = Int((local - day) / 60)
        let quiet = start < end ? (minute >= start && minute < end) : (minute >= start || minute < end)
        guard quiet else { return nil }
        // The end on the same local day, or the next one when the period wraps midnight and we are before it.
        let endDay = (start > end && minute >= start) ? day + 86_400 : day
        return endDay + Int64(end) * 60 - Int64(offset)
    }

    public var description: String {
        func text(_ m: Int) -> String { (m / 60 < 10 ? "0" : "") + "\(m / 60):" + (m % 60 < 10 ? "0" : "") + "\(m % 60)" }
        return "\(text(start))-\(text(end))"
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
