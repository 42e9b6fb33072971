extension JSONValue {
    /// Compact JSON text (no whitespace), object members in order, numbers verbatim.
    public func serialized() -> String {
        String(decoding: serializedBytes(), as: UTF8.self)
    }

    /// Compact JSON as UTF-8 bytes; see `serialized()`.
    public func serializedBytes() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output)
        return output
    }

    private func write(to output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text): output.append(contentsOf: text.utf8)
        case .string(let text): Self.writeString(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (position, member) in object.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Escapes '"', '\\', control characters, and U+2028/U+2029 (which break
    /// JavaScript embedding); everything else, including '/', passes through.
    private static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let mayNeedEscape = byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2
                guard mayNeedEscape, let (replacement, length) = escapeSequence(bytes, at: index) else {
                    index += 1
                    continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                output.append(contentsOf: replacement)
                index += length
                runStart = index
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The escaped form of the character starting at `index` and its length in
    /// bytes, or nil when it is written as is.
    private static func escapeSequence(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> ([UInt8], Int)? {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\""): return (Array(#"\""#.utf8), 1)
        case UInt8(ascii: "\\"): return (Array(#"\\"#.utf8), 1)
        case 0x08: return (Array(#"\b"#.utf8), 1)
        case 0x0C: return (Array(#"\f"#.utf8), 1)
        case 0x0A: return (Array(#"\n"#.utf8), 1)
        case 0x0D: return (Array(#"\r"#.utf8), 1)
        case 0x09: return (Array(#"\t"#.utf8), 1)
        case 0..<0x20: return (Array(#"\u00"#.utf8) + [hexDigit(byte >> 4), hexDigit(byte & 0x0F)], 1)
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
        case 0xE2 where bytes[(index + 1)...].starts(with: [0x80, 0xA8]): return (Array(#"\u2028"#.utf8), 3)
        case 0xE2 where bytes[(index + 1)...].starts(with: [0x80, 0xA9]): return (Array(#"\u2029"#.utf8), 3)
        default: return nil
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
