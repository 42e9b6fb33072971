/// Why and where `JSONParser` rejected its input.
///
/// The description names the zero-based byte offset and a fixed reason, never
/// any of the input itself, because inputs can carry secrets.
public struct JSONParseError: Error, CustomStringConvertible, Sendable {
    /// Short, fixed explanation, e.g. "expected ',' or '}'".
    public let reason: String
    /// Zero-based offset of the offending byte in the input (a leading BOM counts).
    public let offset: Int

    init(_ reason: String, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        "invalid JSON at byte \(offset): \(reason)"
    }
}
