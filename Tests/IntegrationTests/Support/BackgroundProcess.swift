import Foundation

/// A long-running product process (process-job --listen, the sandbox, the server, a FastCGI handler), output to
/// files, stopped with SIGTERM. `passing` puts a descriptor of the caller's on one of the child's (a listening
/// socket on fd 0 or 3, as spawn-fcgi and systemd hand it over).
final class BackgroundProcess: @unchecked Sendable {
    let pid: pid_t
    private let directory: URL
    private var exitStatus: Int32?

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    init(_ executable: String, arguments: [String], environment: [String: String],
         passing: (descriptor: Int32, as: Int32)? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-bg-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        pid = try Spawn.start(executable, arguments: arguments, environment: environment,
                              stdout: directory.appendingPathComponent("out").path, stderr: directory.appendingPathComponent("err").path,
                              passing: passing)
    }

    var standardOutput: String { (try? String(contentsOf: directory.appendingPathComponent("out"), encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOf: directory.appendingPathComponent("err"), encoding: .utf8)) ?? "" }

    /// The URL of the first stdout line `listening on <url>`, which the sandbox and the server print once they
    /// accept connections; waits up to `seconds`, and throws with `name` and its stderr when it exits first.
    func listeningURL(_ name: String, seconds: TimeInterval = 30) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let line = standardOutput.split(separator: "\n").first, line.hasPrefix("listening on ") {
                return String(line.dropFirst("listening on ".count))
            }
            if hasExited || Date() > deadline {
                throw StartFailure(description: "\(name) did not start: \(standardError)")
            }
            usleep(20_000)
        }
    }

    /// The exit status once it has exited, waiting up to `seconds` (reaping it); nil while it runs.
    func exited(within seconds: TimeInterval) -> Int32? {
        if let exitStatus { return exitStatus }
        exitStatus = Spawn.wait(pid, until: Date().addingTimeInterval(seconds))
        return exitStatus
    }

    /// Whether it has exited (reaping it if so).
    var hasExited: Bool { exited(within: 0) != nil }

    /// SIGTERM, then the exit status (SIGKILL after 10 s gives -1).
    func terminate() -> Int32 {
        if let exitStatus { return exitStatus }
        let status = Spawn.stop(pid)
        exitStatus = status
        return status
    }

    deinit {
        _ = terminate()
        try? FileManager.default.removeItem(at: directory)
    }
}
