/// An F&O date-time: `/Date(1764403200000)/` (optionally `/Date(ms+0100)/`) or ISO 8601
/// (`2025-11-29T08:00:00.0000000Z`), held as microseconds since the Unix epoch, UTC.
public struct FOTimestamp: Sendable, Equatable, Comparable {
    public let microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    public static func < (lhs: FOTimestamp, rhs: FOTimestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    /// Parses either F&O form; nil when the text is neither.
    public init?(_ text: String) {
        if let value = Self.parseMSJSON(text) ?? Self.parseISO8601(text) { self = value } else { return nil }
    }

    /// `/Date(<ms>)/`, where the offset suffix, if any, is informational: the milliseconds are already UTC.
    static func parseMSJSON(_ text: String) -> FOTimestamp? {
        guard text.hasPrefix("/Date("), text.hasSuffix(")/") else { return nil }
        var inner = text.dropFirst(6).dropLast(2)
        if let sign = inner.dropFirst().firstIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = inner[sign...].dropFirst()
            guard offset.count == 4, offset.allSatisfy(\.isASCIIDigit) else { return nil }
            inner = inner[..<sign]
        }
        guard let ms = Int64(inner) else { return nil }
        let (micro, overflow) = ms.multipliedReportingOverflow(by: 1000)
        return overflow ? nil : FOTimestamp(microseconds: micro)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]`; no zone means UTC. A date alone is midnight UTC.
    static func parseISO8601(_ text: String) -> FOTimestamp? {
        let chars = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= chars.count else { return nil }
            var value = 0
            for c in chars[index..<(index + width)] {
                guard c >= 0x30 && c <= 0x39 else { return nil }
                value = value * 10 + Int(c - 0x30)
            }
            index += width
            return value
        }
        func expect(_ c: Character) -> Bool {
            guard index < chars.count, chars[index] == c.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var hour = 0, minute = 0, second = 0, micros = 0, offsetSeconds = 0
        if index < chars.count {
            guard expect("T") || expect(" "), let h = number(2), expect(":"), let m = number(2), expect(":"),
                  let s = number(2), h < 24, m < 60, s < 61
            else { return nil }
            (hour, minute, second) = (h, m, s)
            if expect(".") {
                var digits = 0
                var fraction = 0
                while index < chars.count, chars[index] >= 0x30 && chars[index] <= 0x39 {
                    if digits < 6 { fraction = fraction * 10 + Int(chars[index] - 0x30) }
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<max(digits, 6) { fraction *= 10 }
                micros = fraction
            }
            if expect("Z") || expect("z") {
                offsetSeconds = 0
            } else if index < chars.count {
                let sign = chars[index] == UInt8(ascii: "-") ? -1 : 1
                guard chars[index] == UInt8(ascii: "+") || chars[index] == UInt8(ascii: "-") else { return nil }
                index += 1
                guard let oh = number(2) else { return nil }
                _ = expect(":")
                guard let om = number(2) else { return nil }
                offsetSeconds = sign * (oh * 3600 + om * 60)
            }
            guard index == chars.count else { return nil }
        }
        let days = CivilDate.days(year: year, month: month, day: day)
        let seconds = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return FOTimestamp(microseconds: seconds * 1_000_000 + Int64(micros))
    }

    /// PostgreSQL `timestamptz` input text, UTC, microsecond precision.
    public var postgresText: String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let micros = microseconds - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        let (year, month, day) = CivilDate.date(days: Int(days))
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let yearText = year > 0 ? pad(Int64(year), 4) : pad(Int64(1 - year), 4)
        return "\(yearText)-\(pad(Int64(month), 2))-\(pad(Int64(day), 2)) "
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))."
            + "\(pad(micros, 6))+00" + (year > 0 ? "" : " BC")
    }
}
