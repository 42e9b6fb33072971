/// Percent-decoding and `application/x-www-form-urlencoded` parsing, for URL paths, query strings and form bodies.
enum PercentEncoding {
    /// Decodes `%XX` escapes; `+` is decoded to a space only when `plusIsSpace` (query strings and forms).
    /// Malformed escapes are kept as written.
    static func decode<S: StringProtocol>(_ text: S, plusIsSpace: Bool = false) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
               let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                iterator.removeFirst(2)
            } else if byte == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `a=1&b=x+y` → `[("a","1"),("b","x y")]`, in order; a name without `=` gets an empty value.
    static func formFields<S: StringProtocol>(_ text: S) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0], plusIsSpace: true), parts.count > 1 ? decode(parts[1], plusIsSpace: true) : "")
        }
    }
}
