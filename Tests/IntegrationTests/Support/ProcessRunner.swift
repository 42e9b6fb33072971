import Foundation

/// Runs a product binary the way a web server, cron or an operator would: environment, stdin, exit status.
struct ProcessResult: Sendable {
    let status: Int32
    let stdout: [UInt8]
    let stderr: String

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

enum ProcessRunner {
    /// `environment` is the whole environment of the child (plus PATH), so nothing leaks in from the test runner.
    static func run(_ executable: String, arguments: [String] = [], environment: [String: String],
                    stdin: [UInt8] = [], timeout: TimeInterval = 60) throws -> ProcessResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-run-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in"), output = directory.appendingPathComponent("out"),
            errors = directory.appendingPathComponent("err")
        FileManager.default.createFile(atPath: input.path, contents: Data(stdin))
        let pid = try Spawn.start(executable, arguments: arguments, environment: environment, stdin: input.path,
                                  stdout: output.path, stderr: errors.path)
        guard let status = Spawn.wait(pid, until: Date().addingTimeInterval(timeout)) else {
            _ = Spawn.stop(pid, grace: 0)
            throw ProcessTimeout(executable: executable)
        }
        return ProcessResult(status: status, stdout: Array(try Data(contentsOf: output)),
                             stderr: String(decoding: try Data(contentsOf: errors), as: UTF8.self))
    }
}

struct ProcessTimeout: Error { let executable: String }
