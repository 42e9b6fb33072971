import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `posix_spawn` with stdin from a file and stdout/stderr to files (never pipes: a daemon a child starts — pg_ctl —
/// may inherit them, and a pipe's end would then never come), plus `waitpid` with a deadline.
enum Spawn {
    /// `passing` puts a descriptor of the caller's on a descriptor of the child's (a listening socket on fd 0 for
    /// FastCGI, on fd 3 for systemd socket activation); stdin is then /dev/null only if that is not fd 0.
    static func start(_ executable: String, arguments: [String], environment: [String: String],
                      stdin: String = "/dev/null", stdout: String, stderr: String,
                      passing: (descriptor: Int32, as: Int32)? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let passing { posix_spawn_file_actions_adddup2(&actions, passing.descriptor, passing.as) }
        if passing?.as != 0 { posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0) }
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var env = environment
        env["PATH"] = env["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // The child starts with no signal blocked and default dispositions, whatever the test runner's threads
        // block or ignore (a server that inherits a blocked SIGCHLD or SIGTERM never reaps or never stops).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        for number in [SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw SpawnFailure(executable: executable, code: spawned) }
        return pid
    }

    /// The exit status once `pid` has ended, or nil at the deadline (the process is left running).
    static func wait(_ pid: pid_t, until deadline: Date) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            if result < 0 && errno != EINTR { return -1 }
            if Date() > deadline { return nil }
            usleep(1000)
        }
    }

    /// SIGTERM, then SIGKILL after `grace` seconds; the exit status (-1 when it had to be killed).
    static func stop(_ pid: pid_t, grace: TimeInterval = 10) -> Int32 {
        kill(pid, SIGTERM)
        if let status = wait(pid, until: Date().addingTimeInterval(grace)) { return status }
        kill(pid, SIGKILL)
        _ = wait(pid, until: .distantFuture)
        return -1
    }
}

struct SpawnFailure: Error { let executable: String; let code: Int32 }
