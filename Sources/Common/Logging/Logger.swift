import Glibc

/// Writes one JSON object per line to stderr. Callers pass only values that are safe to log: never a secret,
/// a token, a request body or an outbound host.
public struct Logger: Sendable {
    public let component: String
    public let level: LogLevel

    public init(component: String, level: LogLevel) {
        self.component = component
        self.level = level
    }

    public func debug(_ message: String, _ fields: [(String, String)] = []) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: [(String, String)] = []) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: [(String, String)] = []) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [(String, String)] = []) { log(.error, message, fields) }

    public func log(_ messageLevel: LogLevel, _ message: String, _ fields: [(String, String)]) {
        guard messageLevel >= level else { return }
        var object = JSONObject()
        object["ts"] = .string(Self.timestamp())
        object["level"] = .string(messageLevel.rawValue)
        object["component"] = .string(component)
        object["msg"] = .string(message)
        for (key, value) in fields { object[key] = .string(value) }
        var line = JSONValue.object(object).serializedBytes()
        line.append(0x0a)
        StandardStreams.write(line, to: 2)
    }

    /// UTC time with milliseconds, ISO 8601.
    static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(spec.tv_nsec / 1_000_000), 3))Z"
    }
}
