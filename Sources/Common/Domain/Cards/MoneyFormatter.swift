import FoundationEssentials
public import Core

/// Amounts for cards, from the exact decimal text F&O sent: `48250.75` + `USD` → `48,250.75 USD`.
///
/// The digits are never rounded and never pass through binary floating point: plain decimal text is regrouped as
/// text, and only exponent forms (`1e3`) go through `Decimal` to be written out in full. Fractions shorter than the
/// currency's minor unit are padded with zeros (`12500` → `12,500.00 USD`, `JPY` has none); longer ones are kept.
public enum MoneyFormatter {
    /// ISO 4217 currencies whose minor unit is not 2 digits; every other code gets 2.
    private static let minorUnits: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
        "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    ]

    /// A JSON number, or a string holding a decimal number, with its currency; nil for anything else.
    public static func format(_ amount: JSONValue, currency: String?) -> String? {
        switch amount {
        case .number(let text), .string(let text): format(text, currency: currency)
        default: nil
        }
    }

    /// Decimal text (`-1200.5`, `12345678901234567.89`, `1e3`) with its currency; nil when the text is not a number.
    public static func format(_ amount: String, currency: String?) -> String? {
        let code = currency?.trimmingCharacters().uppercased() ?? ""
        guard let number = grouped(amount, minimumFractionDigits: minorUnits[code] ?? 2) else { return nil }
        return code.isEmpty ? number : number + " " + code
    }

    /// A quantity or count: grouped, without trailing fraction zeros (`50.00` → `50`, `2.50` → `2.5`), never rounded.
    static func formatNumber(_ value: JSONValue) -> String? {
        switch value {
        case .number(let text), .string(let text): grouped(text, minimumFractionDigits: 0, dropsTrailingZeros: true)
        default: nil
        }
    }

    private static func grouped(_ text: String, minimumFractionDigits: Int, dropsTrailingZeros: Bool = false) -> String? {
        guard let plain = plainDecimalText(text.trimmingCharacters()) else { return nil }
        let negative = plain.hasPrefix("-")
        let unsigned = negative ? plain.dropFirst() : Substring(plain)
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = Array(parts[0])
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        if dropsTrailingZeros {
            while fraction.hasSuffix("0") { fraction.removeLast() }
        }
        if fraction.count < minimumFractionDigits {
            fraction += String(repeating: "0", count: minimumFractionDigits - fraction.count)
        }
        var groupedInteger = ""
        for (offset, digit) in integer.enumerated() {
            if offset > 0, (integer.count - offset) % 3 == 0 { groupedInteger.append(",") }
            groupedInteger.append(digit)
        }
        return (negative ? "-" : "") + groupedInteger + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// `-?digits(.digits)?` as is; an exponent form expanded exactly through `Decimal`; nil for anything else.
    private static func plainDecimalText(_ text: String) -> String? {
        guard text.contains(where: { $0 == "e" || $0 == "E" }) else { return isPlainDecimal(text) ? text : nil }
        guard let value = JSONValue.number(text).decimalValue else { return nil }
        let expanded = value.description
        return isPlainDecimal(expanded) ? expanded : nil
    }

    private static func isPlainDecimal(_ text: String) -> Bool {
        let unsigned = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }
}
