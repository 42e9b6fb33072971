/// The name-value pairs of `FCGI_PARAMS` and `FCGI_GET_VALUES` (FastCGI 1.0 §3.4): each length is one byte
/// (0–127) or four with the high bit set (up to 2³¹ − 1); every length is checked against the bytes left.
public enum FastCGINameValuePairs {
    public static func decode(_ bytes: [UInt8]) throws(FastCGIProtocolError) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        var index = 0
        while index < bytes.count {
            let nameLength = try length(bytes, at: &index)
            let valueLength = try length(bytes, at: &index)
            guard nameLength <= bytes.count - index, valueLength <= bytes.count - index - nameLength else { throw .truncatedPair }
            let name = String(decoding: bytes[index..<index + nameLength], as: UTF8.self)
            index += nameLength
            let value = String(decoding: bytes[index..<index + valueLength], as: UTF8.self)
            index += valueLength
            pairs.append((name, value))
        }
        return pairs
    }

    public static func encode(_ pairs: [(name: String, value: String)]) -> [UInt8] {
        var output: [UInt8] = []
        for (name, value) in pairs {
            let name = Array(name.utf8), value = Array(value.utf8)
            appendLength(name.count, to: &output)
            appendLength(value.count, to: &output)
            output += name
            output += value
        }
        return output
    }

    private static func length(_ bytes: [UInt8], at index: inout Int) throws(FastCGIProtocolError) -> Int {
        guard index < bytes.count else { throw .truncatedPair }
        let first = bytes[index]
        if first & 0x80 == 0 {
            index += 1
            return Int(first)
        }
        guard bytes.count - index >= 4 else { throw .truncatedPair }
        let value = Int(first & 0x7f) << 24 | Int(bytes[index + 1]) << 16 | Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
        index += 4
        return value
    }

    private static func appendLength(_ length: Int, to output: inout [UInt8]) {
        if length < 0x80 {
            output.append(UInt8(length))
        } else {
            output += [UInt8(0x80 | (length >> 24) & 0x7f), UInt8((length >> 16) & 0xff), UInt8((length >> 8) & 0xff), UInt8(length & 0xff)]
        }
    }
}
