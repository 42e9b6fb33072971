@testable import Core
import Logging
import Synchronization
import Testing

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    private func line(_ metadata: Logger.Metadata, message: String = "hello") throws -> JSONObject {
        let bytes = JSONLogHandler.line(level: .warning, message: message, component: "handle-business-event",
                                        metadata: metadata, timestamp: "2026-12-01T10:00:00.000Z")
        #expect(bytes.last == 0x0a)
        #expect(!bytes.dropLast().contains(0x0a), "one line")
        return try #require(try JSONParser.parse(Array(bytes.dropLast())).objectValue)
    }

    @Test("ts, level, component and msg come first and cannot be overwritten")
    func reservedKeys() throws {
        let object = try line(["msg": "forged", "ts": "0", "level": "debug", "component": "x", "job": "7"], message: "a\nb")
        #expect(object["ts"]?.stringValue == "2026-12-01T10:00:00.000Z")
        #expect(object["level"]?.stringValue == "warning")
        #expect(object["component"]?.stringValue == "handle-business-event")
        #expect(object["msg"]?.stringValue == "a\nb")
        #expect(object["meta.msg"]?.stringValue == "forged" && object["meta.level"]?.stringValue == "debug")
        #expect(object["job"]?.stringValue == "7")
    }

    @Test("values of keys that name a credential are redacted; nested metadata stays JSON")
    func redaction() throws {
        let object = try line(["client_secret": "s3cr3t", "Authorization": "Bearer x", "access_token": "t", "error": "boom",
                               "list": ["a", "b"], "map": ["k": "v"]])
        for key in ["client_secret", "Authorization", "access_token"] { #expect(object[key]?.stringValue == "[redacted]") }
        #expect(object["error"]?.stringValue == "boom")
        #expect(object["list"] == ["a", "b"])
        #expect(object["map"] == ["k": "v"])
    }

    @Test("the level filter and the writer: only lines at or above MLC_LOG_LEVEL are written")
    func levels() throws {
        let written = Mutex<[[UInt8]]>([])
        let logger = Logger(label: "t") { _ in JSONLogHandler(component: "t", level: .info) { line in written.withLock { $0.append(line) } } }
        logger.debug("hidden")
        logger.info("shown", metadata: ["n": "1"])
        logger.error("also")
        let lines = written.withLock { $0 }
        #expect(lines.count == 2)
        #expect(try JSONParser.parse(Array(lines[0].dropLast()))["msg"]?.stringValue == "shown")
        #expect(try Configuration.parseLogLevel(Environment(["MLC_LOG_LEVEL": "WARNING"])) == .warning)
        #expect(throws: ConfigurationError.self) { try Configuration.parseLogLevel(Environment(["MLC_LOG_LEVEL": "trace"])) }
    }
}
