import Foundation
import Testing

/// What `infra/test.sh` exports for the tests: the throwaway cluster, the built binaries, the fixtures.
enum TestEnvironment {
    /// The throwaway cluster's URL; nil outside `infra/test.sh`, and then the suites that need it are disabled
    /// (`.needsDatabase`) rather than the whole run stopped.
    static var databaseURL: String? { ProcessInfo.processInfo.environment["MLC_TEST_DATABASE_URL"] }

    static let missingDatabase: Comment = "MLC_TEST_DATABASE_URL is not set: run the tests through infra/test.sh"

    /// Folder holding the product binaries (`swift build --show-bin-path`).
    static var binDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["MLC_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        // The test bundle lives in the same build folder as the binaries.
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("ml-connector").path) {
            url.deleteLastPathComponent()
        }
        return url
    }

    static func binary(_ name: String) -> String { binDirectory.appendingPathComponent(name).path }

    /// The sample data: the sandbox's resource folder `Sources/MLConnectorSandbox/Fixtures`, the only copy.
    static var fixturesDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["MLC_TEST_FIXTURES"] { return URL(fileURLWithPath: dir) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/MLConnectorSandbox/Fixtures")
    }

    static func fixture(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixturesDirectory.appendingPathComponent(relativePath)))
    }

    static var clusterScript: String {
        ProcessInfo.processInfo.environment["MLC_TEST_CLUSTER_SCRIPT"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("infra/pg-cluster.sh").path
    }

    /// A master key for tests (base64 of 32 bytes), fixed so failures are reproducible.
    static let masterKey = Data((0..<32).map { UInt8($0 &* 7 &+ 3) }).base64EncodedString()
}

/// Replaces the database name of a `postgresql:///name?…` URL.
func databaseURL(_ base: String, database: String) -> String {
    guard let slash = base.range(of: ":///") else { return base }
    let rest = base[slash.upperBound...]
    let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
    return base[..<slash.upperBound] + database + query
}

extension Trait where Self == ConditionTrait {
    /// Suites that need the throwaway PostgreSQL (and the built binaries): disabled, with the reason, without it.
    static var needsDatabase: Self { .enabled(if: TestEnvironment.databaseURL != nil, TestEnvironment.missingDatabase) }
}
