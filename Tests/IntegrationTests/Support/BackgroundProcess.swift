import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A long-running product process (process-job --listen), output to a file, stopped with SIGTERM.
final class BackgroundProcess: @unchecked Sendable {
    let pid: pid_t
    private let errPath: String

    init(_ executable: String, arguments: [String], environment: [String: String]) throws {
        errPath = NSTemporaryDirectory() + "mlc-bg-" + UUID().uuidString
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw SpawnFailure(executable: executable, code: spawned) }
        self.pid = pid
    }

    var standardError: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// SIGTERM, then the exit status (SIGKILL after 10 s).
    func terminate() -> Int32 {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<1000 {
            if waitpid(pid, &status, WNOHANG) == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        return -1
    }

    deinit {
        if kill(pid, 0) == 0 { _ = terminate() }
        try? FileManager.default.removeItem(atPath: errPath)
    }
}
