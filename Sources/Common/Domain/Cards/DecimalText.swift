import FoundationEssentials
import Core

/// Exact arithmetic on the decimal text F&O sends, for totals a card shows (an invoice's lines added up).
enum DecimalText {
    /// The sum of decimal texts, written with as many fraction digits as the longest addend (`12500.00` + `0` →
    /// `12500.00`); nil when one is not a plain decimal number.
    static func sum(_ addends: [String]) -> String? {
        var total = Decimal.zero
        var scale = 0
        for text in addends {
            let text = text.trimmingCharacters()
            guard !text.isEmpty, text.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0 == "-" || $0 == "+" }),
                  let value = Decimal(string: text) else { return nil }
            if let dot = text.firstIndex(of: ".") { scale = max(scale, text.distance(from: dot, to: text.endIndex) - 1) }
            total += value
        }
        var digits = total.description
        let fraction = digits.firstIndex(of: ".").map { digits.distance(from: $0, to: digits.endIndex) - 1 } ?? 0
        if fraction < scale { digits += (fraction == 0 ? "." : "") + String(repeating: "0", count: scale - fraction) }
        return digits
    }
}
