public import FoundationEssentials

/// A JSON value that keeps numbers exact: `.number` holds the number's source text.
///
/// `JSONParser` only produces `.number` texts that match the RFC 8259 number
/// grammar; code building values by hand must do the same, because the
/// serializer writes the text verbatim. There is deliberately no float literal
/// conformance: money is `Decimal`, never `Double`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The exact number text, e.g. "12500.00" or "-1e3".
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Decimal's documented precision; longer significands could not be held exactly.
    private static let maxDecimalDigits = 38
    private static let decimalExponents = -128...127

    /// The member value for exactly `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The first member value whose key equals `key` ignoring ASCII case, when this is an object.
    public func value(forCaseInsensitiveKey key: String) -> JSONValue? {
        objectValue?.value(forCaseInsensitiveKey: key)
    }

    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    public var objectValue: JSONObject? {
        if case .object(let value) = self { value } else { nil }
    }

    public var isNull: Bool { self == .null }

    /// The exact value of a number, or of a string holding a plain decimal number
    /// such as "12500.00" (JSON number grammar without exponent).
    ///
    /// `nil` for other values and for numbers Decimal cannot hold exactly
    /// (more than 38 significant digits, or exponent out of range).
    /// Whether any string in the value, object keys included, holds U+0000.
    public var containsNUL: Bool {
        switch self {
        case .string(let text): text.utf8.contains(0)
        case .array(let elements): elements.contains { $0.containsNUL }
        case .object(let object): object.members.contains { $0.key.utf8.contains(0) || $0.value.containsNUL }
        case .number, .bool, .null: false
        }
    }

    public var decimalValue: Decimal? {
        switch self {
        case .number(let text): Self.exactDecimal(Array(text.utf8), allowsExponent: true)
        case .string(let text): Self.exactDecimal(Array(text.utf8), allowsExponent: false)
        default: nil
        }
    }

    /// The exact value of an integer number (no fraction or exponent), or of a
    /// string of ASCII digits with an optional leading '-'. `nil` on overflow.
    public var int64Value: Int64? {
        switch self {
        case .number(let text), .string(let text): Self.exactInt64(text.utf8)
        default: nil
        }
    }

    private static func exactInt64(_ text: String.UTF8View) -> Int64? {
        let negative = text.first == UInt8(ascii: "-")
        let digits = text.dropFirst(negative ? 1 : 0)
        guard !digits.isEmpty else { return nil }
        // Accumulate negatively so that Int64.min is reachable.
        var value: Int64 = 0
        for byte in digits {
            guard let digit = asciiDigit(byte) else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = next
        }
        if negative { return value }
        let (positive, overflow) = Int64(0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }

    /// Parses the JSON number grammar into significant digits and a power of ten,
    /// then lets `Decimal(string:)` build the value from a form it holds exactly.
    private static func exactDecimal(_ text: [UInt8], allowsExponent: Bool) -> Decimal? {
        var index = 0
        func digitRun(_ onDigit: (UInt8) -> Void) -> Bool {
            let start = index
            while index < text.count, let digit = asciiDigit(text[index]) {
                onDigit(digit)
                index += 1
            }
            return index > start
        }

        let negative = text.first == UInt8(ascii: "-")
        if negative { index += 1 }
        var digits: [UInt8] = []
        var exponent = 0
        let integerStart = index
        guard digitRun({ digits.append($0) }) else { return nil }
        if text[integerStart] == UInt8(ascii: "0"), index - integerStart > 1 { return nil }
        if index < text.count, text[index] == UInt8(ascii: ".") {
            index += 1
            guard digitRun({ digits.append($0); exponent -= 1 }) else { return nil }
        }
        if allowsExponent, index < text.count, (text[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            let exponentNegative = index < text.count && text[index] == UInt8(ascii: "-")
            if index < text.count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") { index += 1 }
            var magnitude = 0
            // Clamped: any exponent this large is out of Decimal's range anyway.
            guard digitRun({ magnitude = min(magnitude * 10 + Int($0), 1_000_000) }) else { return nil }
            exponent += exponentNegative ? -magnitude : magnitude
        }
        guard index == text.count else { return nil }

        let significant = digits.drop { $0 == 0 }
        guard let lastNonZero = significant.lastIndex(where: { $0 != 0 }) else { return Decimal.zero }
        exponent += significant.endIndex - lastNonZero - 1
        var mantissa = Array(significant[...lastNonZero])
        // Decimal's exponent tops out at 127; larger ones move into the mantissa as zeros.
        let padding = max(0, exponent - decimalExponents.upperBound)
        guard mantissa.count + padding <= maxDecimalDigits, exponent >= decimalExponents.lowerBound else { return nil }
        mantissa += repeatElement(0, count: padding)
        exponent -= padding
        let digitText = String(decoding: mantissa.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        return Decimal(string: "\(negative ? "-" : "")\(digitText)e\(exponent)")
    }

    private static func asciiDigit(_ byte: UInt8) -> UInt8? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? byte - UInt8(ascii: "0") : nil
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .number(String(value)) }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Members keep literal order; for duplicate keys the last value wins.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
}
