import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a product binary the way a web server, cron or an operator would: environment, stdin, exit status.
struct ProcessResult: Sendable {
    let status: Int32
    let stdout: [UInt8]
    let stderr: String

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// `posix_spawn` + `waitpid`, with stdin from a file and output to files. (Foundation.Process lost track of
/// children whose grandchild daemonised — pg_ctl — and pipes
/// inherited by a daemon never reach end of file.)
enum ProcessRunner {
    /// `environment` is the whole environment of the child (plus PATH), so nothing leaks in from the test runner.
    static func run(_ executable: String, arguments: [String] = [], environment: [String: String],
                    stdin: [UInt8] = [], timeout: TimeInterval = 60) throws -> ProcessResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-run-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inPath = directory.appendingPathComponent("in").path
        let outPath = directory.appendingPathComponent("out").path
        let errPath = directory.appendingPathComponent("err").path
        FileManager.default.createFile(atPath: inPath, contents: Data(stdin))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var env = environment
        env["PATH"] = env["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw SpawnFailure(executable: executable, code: spawned) }

        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR { throw SpawnFailure(executable: executable, code: errno) }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw ProcessTimeout(executable: executable)
            }
            usleep(1000)
        }
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ProcessResult(status: exitStatus, stdout: Array(try Data(contentsOf: URL(fileURLWithPath: outPath))),
                             stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self))
    }
}

struct ProcessTimeout: Error { let executable: String }
struct SpawnFailure: Error { let executable: String; let code: Int32 }
