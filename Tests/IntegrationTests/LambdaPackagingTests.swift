import Foundation
import Testing

/// `infra/lambda/`: the zips for provided.al2023 (bootstrap, the libraries AL2023 lacks, the glibc verdict) and the
/// SAM template, validated offline with cfn-lint.
@Suite("Lambda packaging", .needsDatabase)
struct LambdaPackagingTests {
    static var repository: URL {
        URL(fileURLWithPath: TestEnvironment.clusterScript).deletingLastPathComponent().deletingLastPathComponent()
    }

    static func script(_ name: String, _ arguments: [String] = []) throws -> ProcessResult {
        try ProcessRunner.run("/bin/bash", arguments: [repository.appendingPathComponent("infra/lambda/\(name)").path] + arguments,
                              environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                                            "HOME": NSTemporaryDirectory()], timeout: 600)
    }

    /// cfn-lint on PATH, or installed by the lint script's pip into a venv; false only when pip cannot install it.
    static let cfnLintReady: Bool = (try? script("lint.sh", ["--install-only"]).status) == 0

    @Test("a zip per handler: bootstrap, libpq and what else AL2023 lacks, never glibc; the glibc verdict printed")
    func zips() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-lambda-zip-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Self.script("package.sh", ["--bin-dir", TestEnvironment.binDirectory.path, "--out", out.path])
        #expect([0, 3].contains(result.status), "\(result.stdoutText)\(result.stderr)")
        #expect(result.stdoutText.contains(result.status == 0 ? "verdict: this build runs on provided.al2023"
                                                              : "does NOT run on provided.al2023"))
        for handler in ["handle-business-event", "handle-slack-interaction"] {
            let listing = try ProcessRunner.run("/usr/bin/python3", arguments: ["-m", "zipfile", "-l", out.appendingPathComponent("\(handler).zip").path],
                                                environment: ["PATH": "/usr/bin:/bin"])
            let names = listing.stdoutText.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            #expect(names.contains("bootstrap"))
            #expect(names.contains("lib/libpq.so.5"))
            #expect(!names.contains { $0.hasPrefix("lib/libc.so") || $0.hasPrefix("lib/libssl") || $0.hasPrefix("lib/libcurl.so") })
        }
    }

    @Test("the SAM template passes cfn-lint and holds no secret",
          .enabled(if: cfnLintReady, "cfn-lint is not installed and pip could not install it: see infra/lambda/lint.sh"))
    func template() throws {
        let result = try Self.script("lint.sh")
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderr)")
        let text = try String(contentsOf: Self.repository.appendingPathComponent("infra/lambda/template.yaml"), encoding: .utf8)
        #expect(text.contains("provided.al2023"))
        #expect(text.components(separatedBy: "AuthType: NONE").count == 3)
        #expect(text.contains("{{resolve:secretsmanager:"))
        #expect(!text.contains("postgresql://") && !text.contains("password"))
    }
}
