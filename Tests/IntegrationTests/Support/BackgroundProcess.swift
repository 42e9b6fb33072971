import Foundation

/// A long-running product process (process-job --listen, the sandbox), output to files, stopped with SIGTERM.
final class BackgroundProcess: @unchecked Sendable {
    let pid: pid_t
    private let directory: URL

    init(_ executable: String, arguments: [String], environment: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-bg-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        pid = try Spawn.start(executable, arguments: arguments, environment: environment,
                              stdout: directory.appendingPathComponent("out").path, stderr: directory.appendingPathComponent("err").path)
    }

    var standardOutput: String { (try? String(contentsOf: directory.appendingPathComponent("out"), encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOf: directory.appendingPathComponent("err"), encoding: .utf8)) ?? "" }

    /// Whether it has exited (reaping it if so).
    var hasExited: Bool { Spawn.wait(pid, until: .distantPast) != nil }

    private var stopped: Int32?

    /// SIGTERM, then the exit status (SIGKILL after 10 s gives -1).
    func terminate() -> Int32 {
        if let stopped { return stopped }
        let status = Spawn.stop(pid)
        stopped = status
        return status
    }

    deinit {
        _ = terminate()
        try? FileManager.default.removeItem(at: directory)
    }
}
