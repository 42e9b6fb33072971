public import Core

/// The times of day (UTC) a digest route posts its notices (`route add --digest 09:00,13:00`): 1 to 24 of them,
/// sorted, without repeats, as minutes after midnight.
public struct DigestSchedule: Sendable, Equatable {
    public static let maxTimes = 24
    private static let day: Int64 = 86_400

    /// Minutes after midnight UTC, sorted, distinct, never empty.
    public let minutes: [Int]

    /// Nil when `minutes` is empty, too long or out of range.
    public init?(minutes: [Int]) {
        let sorted = Array(Set(minutes)).sorted()
        guard !sorted.isEmpty, sorted.count <= Self.maxTimes, sorted.allSatisfy({ (0..<1_440).contains($0) }) else { return nil }
        self.minutes = sorted
    }

    /// `09:00,13:00` (HH:MM in UTC, comma-separated); nil when a time is not HH:MM or there are none or more than 24.
    public init?(parsing text: String) {
        var minutes: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let time = part.trimmingCharacters()
            let pieces = time.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count == 2, pieces[0].count == 2, pieces[1].count == 2,
                  pieces.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
                  let hour = Int(pieces[0]), let minute = Int(pieces[1]), hour < 24, minute < 60
            else { return nil }
            minutes.append(hour * 60 + minute)
        }
        self.init(minutes: minutes)
    }

    /// `["09:00", "13:00"]`.
    public var times: [String] {
        minutes.map { Self.twoDigits($0 / 60) + ":" + Self.twoDigits($0 % 60) }
    }

    /// The first digest time strictly after `now` (Unix seconds).
    public func nextSlot(after now: Int64) -> Int64 {
        let midnight = now - ((now % Self.day) + Self.day) % Self.day
        let today = minutes.lazy.map { midnight + Int64($0) * 60 }.first { $0 > now }
        return today ?? midnight + Self.day + Int64(minutes[0]) * 60
    }

    /// `2026-12-02T09:00Z`: a slot as it names its digest job.
    public static func iso(_ slot: Int64) -> String {
        let days = slot >= 0 ? slot / day : (slot - day + 1) / day
        let (year, month, date) = CivilDate.date(days: Int(days))
        let minute = Int((slot - days * day) / 60)
        return "\(year)-\(twoDigits(month))-\(twoDigits(date))T\(twoDigits(minute / 60)):\(twoDigits(minute % 60))Z"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
