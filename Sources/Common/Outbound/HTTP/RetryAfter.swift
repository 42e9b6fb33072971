public import FoundationEssentials
import Core
import Domain

/// Parses a `Retry-After` header value (RFC 9110 §10.2.3) into a delay.
public enum RetryAfter {
    /// Used when the header is missing or cannot be parsed.
    public static let defaultDelay: Duration = .seconds(30)
    public static let minimumDelay: Duration = .seconds(1)
    public static let maximumDelay: Duration = .seconds(3600)

    /// The delay requested by `value`: delta-seconds (`120`) or an HTTP-date — IMF-fixdate
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) or asctime
    /// (`Sun Nov  6 08:49:37 1994`) — measured from `now` and rounded up to whole seconds.
    /// Clamped to `minimumDelay...maximumDelay`; `nil` or garbage gives `defaultDelay`.
    public static func delay(_ value: String?, now: Date = Date()) -> Duration {
        guard let value else { return defaultDelay }
        let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let seconds: Double
        if words.count == 1, let delta = deltaSeconds(words[0]) {
            seconds = delta
        } else if let date = epochSeconds(ofHTTPDate: value) {
            seconds = (Double(date) - now.timeIntervalSince1970).rounded(.up)
        } else {
            return defaultDelay
        }
        let lower = Double(minimumDelay.components.seconds), upper = Double(maximumDelay.components.seconds)
        return .seconds(Int(min(max(seconds, lower), upper)))
    }

    /// `1*DIGIT`; absurdly long values become infinite (and are then clamped).
    private static func deltaSeconds(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy(isDigit) else { return nil }
        return Double(text) ?? .infinity
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since 1970 for the three HTTP-date forms, or `nil`.
    private static func epochSeconds(ofHTTPDate text: String) -> Int64? {
        // Tokens after dropping the weekday:
        //   IMF-fixdate: 06 Nov 1994 08:49:37 GMT      RFC 850: 06 Nov 94 08:49:37 GMT      asctime: Nov 6 08:49:37 1994
        let tokens = text.split(whereSeparator: { " \t,-".contains($0) }).dropFirst().map(String.init)
        let day: String, month: String, year: String, time: String
        if tokens.count == 4, months.contains(tokens[0].lowercased()) {
            (month, day, time, year) = (tokens[0], tokens[1], tokens[2], tokens[3])
        } else if tokens.count == 5, tokens[4] == "GMT" {
            (day, month, year, time) = (tokens[0], tokens[1], tokens[2], tokens[3])
        } else {
            return nil
        }

        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard let monthIndex = months.firstIndex(of: month.lowercased()),
              var y = number(year, digits: 2...4), year.count != 3,
              let d = number(day, digits: 1...2),
              clock.count == 3,
              let h = number(clock[0], digits: 2...2), let mi = number(clock[1], digits: 2...2),
              let s = number(clock[2], digits: 2...2)
        else { return nil }
        if year.count == 2 { y += y < 70 ? 2000 : 1900 }  // RFC 850's two-digit years
        let m = Int64(monthIndex + 1)
        guard (1...Int64(CivilDate.daysIn(month: Int(m), year: Int(y)))).contains(d), h <= 23, mi <= 59, s <= 60 else { return nil }
        return Int64(CivilDate.days(year: Int(y), month: Int(m), day: Int(d))) * 86_400 + h * 3600 + mi * 60 + s
    }

    /// An unsigned decimal with a digit count in `digits`, or `nil`.
    private static func number(_ text: some StringProtocol, digits: ClosedRange<Int>) -> Int64? {
        guard digits.contains(text.utf8.count), text.utf8.allSatisfy(isDigit) else { return nil }
        return Int64(text)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
