public import Logging
import Glibc

/// A swift-log handler that writes one JSON object per line to stderr: `ts` (UTC, milliseconds), `level`,
/// `component` (the logger's label), `msg`, then the metadata. Metadata can never overwrite those four keys (a
/// clashing key is written as `meta.<key>`), and the value of any key that names a credential (`secret`,
/// `token`, `password`, `authorization`, `signature`, `cookie`) is written as `[redacted]`. Callers still log
/// only what is safe: never a request body or an outbound host.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level

    private let component: String
    private let write: @Sendable ([UInt8]) -> Void

    /// `write` receives each finished line (newline included); stderr by default.
    public init(component: String, level: Logger.Level,
                write: @escaping @Sendable ([UInt8]) -> Void = { StandardStreams.write($0, to: 2) }) {
        self.component = component
        logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        if let error = event.error, merged["error"] == nil { merged["error"] = "\(error)" }
        write(Self.line(level: event.level, message: event.message.description, component: component, metadata: merged,
                        timestamp: Self.timestamp()))
    }

    static let reservedKeys: Set<String> = ["ts", "level", "component", "msg"]
    static let credentialWords = ["secret", "token", "password", "authorization", "signature", "cookie"]

    /// One serialised line.
    static func line(level: Logger.Level, message: String, component: String, metadata: Logger.Metadata,
                     timestamp: String) -> [UInt8] {
        var object = JSONObject()
        object["ts"] = .string(timestamp)
        object["level"] = .string(level.rawValue)
        object["component"] = .string(component)
        object["msg"] = .string(message)
        for key in metadata.keys.sorted() {
            let name = reservedKeys.contains(key) ? "meta.\(key)" : key
            let lowered = key.lowercased()
            object[name] = credentialWords.contains(where: lowered.contains) ? .string("[redacted]") : json(metadata[key]!)
        }
        var bytes = JSONValue.object(object).serializedBytes()
        bytes.append(0x0a)
        return bytes
    }

    private static func json(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values):
            .object(values.keys.sorted().reduce(into: JSONObject()) { object, key in object[key] = json(values[key]!) })
        }
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
