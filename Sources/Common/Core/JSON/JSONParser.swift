/// A strict RFC 8259 parser producing `JSONValue`.
///
/// Accepts exactly one value with optional surrounding whitespace and an
/// optional leading UTF-8 byte order mark. Rejects comments, trailing commas,
/// leading zeros, NaN/Infinity, invalid UTF-8, unescaped control characters,
/// unpaired surrogate escapes, and nesting deeper than `maxDepth`. Numbers are
/// validated and kept as their exact text. Duplicate object keys: the last
/// value wins (see `JSONObject`).
public struct JSONParser {
    /// Deepest allowed nesting of arrays and objects; bounds recursion.
    public static let maxDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable(parseDocument)
            ?? Array(bytes).withUnsafeBufferPointer(parseDocument)
        return try result.get()
    }

    private static func parseDocument(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        Result { () throws(JSONParseError) in
            var parser = JSONParser(bytes: bytes)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
            parser.skipWhitespace()
            let value = try parser.parseValue()
            parser.skipWhitespace()
            guard parser.index == bytes.count else { throw parser.error("unexpected data after the JSON value") }
            return value
        }
    }

    // MARK: Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard let byte = peek() else { throw error("expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("expected a value")
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        var members: [JSONObject.Member] = []
        skipWhitespace()
        if !consume(UInt8(ascii: "}")) {
            repeat {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try parseString()
                skipWhitespace()
                guard consume(UInt8(ascii: ":")) else { throw error("expected ':'") }
                skipWhitespace()
                members.append((key: key, value: try parseValue()))
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")) else { throw error("expected ',' or '}'") }
        }
        depth -= 1
        return .object(JSONObject(members))
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        var elements: [JSONValue] = []
        skipWhitespace()
        if !consume(UInt8(ascii: "]")) {
            repeat {
                skipWhitespace()
                elements.append(try parseValue())
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "]")) else { throw error("expected ',' or ']'") }
        }
        depth -= 1
        return .array(elements)
    }

    /// Consumes the opening bracket, enforcing the depth limit.
    private mutating func enterContainer() throws(JSONParseError) {
        guard depth < Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth) levels") }
        depth += 1
        index += 1
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        guard literal.withUTF8Buffer({ bytes[index...].starts(with: $0) }) else { throw error("expected a value") }
        index += literal.utf8CodeUnitCount
    }

    /// Validates `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` and returns its text.
    private mutating func parseNumber() throws(JSONParseError) -> String {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
            if let next = peek(), isDigit(next) { throw error("leading zeros are not allowed") }
        } else {
            try digits()
        }
        if consume(UInt8(ascii: ".")) { try digits() }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            try digits()
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private mutating func digits() throws(JSONParseError) {
        guard let first = peek(), isDigit(first) else { throw error("expected a digit") }
        while let byte = peek(), isDigit(byte) { index += 1 }
    }

    // MARK: Strings

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        var runStart = index
        var unescaped: [UInt8] = []
        var sawEscape = false
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<index])
                index += 1
                guard sawEscape else { return String(decoding: run, as: UTF8.self) }
                unescaped.append(contentsOf: run)
                return String(decoding: unescaped, as: UTF8.self)
            case UInt8(ascii: "\\"):
                sawEscape = true
                unescaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                try parseEscape(into: &unescaped)
                runStart = index
            case 0..<0x20:
                throw error("unescaped control character in string")
            case 0..<0x80:
                index += 1
            default:
                try skipMultiByteUTF8()
            }
        }
        throw error("unterminated string")
    }

    private mutating func parseEscape(into output: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = index
        index += 1  // backslash
        guard let byte = peek() else { throw error("unterminated string") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            switch scalar {
            case 0xD800...0xDBFF:
                guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")) else {
                    throw JSONParseError("unpaired surrogate escape", at: escapeStart)
                }
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONParseError("unpaired surrogate escape", at: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            case 0xDC00...0xDFFF:
                throw JSONParseError("unpaired surrogate escape", at: escapeStart)
            default:
                break
            }
            guard let unicodeScalar = Unicode.Scalar(scalar) else {
                throw JSONParseError("invalid escape sequence", at: escapeStart)
            }
            UTF8.encode(unicodeScalar) { output.append($0) }
        default:
            throw JSONParseError("invalid escape sequence", at: escapeStart)
        }
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let nibble = hexValue(byte) else { throw error("expected 4 hex digits") }
            value = value << 4 | nibble
            index += 1
        }
        return value
    }

    /// Skips one well-formed multi-byte UTF-8 sequence (Unicode Table 3-7):
    /// no overlong forms, no surrogates, nothing above U+10FFFF.
    private mutating func skipMultiByteUTF8() throws(JSONParseError) {
        let lead = bytes[index]
        let (length, secondRange): (Int, ClosedRange<UInt8>) = switch lead {
        case 0xC2...0xDF: (2, 0x80...0xBF)
        case 0xE0: (3, 0xA0...0xBF)
        case 0xED: (3, 0x80...0x9F)
        case 0xE1...0xEF: (3, 0x80...0xBF)
        case 0xF0: (4, 0x90...0xBF)
        case 0xF1...0xF3: (4, 0x80...0xBF)
        case 0xF4: (4, 0x80...0x8F)
        default: (0, 0x80...0xBF)
        }
        guard length > 0, index + length <= bytes.count,
              secondRange.contains(bytes[index + 1]),
              bytes[(index + 2)..<(index + length)].allSatisfy({ (0x80...0xBF).contains($0) })
        else { throw error("invalid UTF-8 in string") }
        index += length
    }

    // MARK: Bytes

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            index += 1
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// An error at the current position; any error at the end is reported as truncation.
    private func error(_ reason: String) -> JSONParseError {
        JSONParseError(index < bytes.count ? reason : "unexpected end of input", at: index)
    }
}
