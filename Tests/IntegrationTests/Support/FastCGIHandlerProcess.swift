import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A handler binary started the way spawn-fcgi, lighttpd `bin-path` or systemd `StandardInput=socket` start it: a
/// listening loopback socket on fd 0 — or, `socketActivation`, on fd 3 with `LISTEN_FDS=1` and `LISTEN_PID` set to
/// the process itself (a shell sets it to its own pid and execs the handler, as systemd does after fork).
final class FastCGIHandlerProcess: @unchecked Sendable {
    let port: UInt16
    private let process: BackgroundProcess

    var pid: pid_t { process.pid }

    init(binary: String, environment: [String: String], socketActivation: Bool = false) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        guard bound, listen(listener, 64) == 0 else { throw FastCGIClient.Failure(description: "listen: \(errno)") }
        port = UInt16(bigEndian: address.sin_port)
        if socketActivation {
            var env = environment
            env["LISTEN_FDS"] = "1"
            env["MLC_HANDLER"] = binary
            process = try BackgroundProcess("/bin/sh", arguments: ["-c", "LISTEN_PID=$$ exec \"$MLC_HANDLER\""], environment: env,
                                            passing: (listener, 3))
        } else {
            process = try BackgroundProcess(binary, arguments: [], environment: environment, passing: (listener, 0))
        }
    }

    var standardError: String { process.standardError }

    func client() throws -> FastCGIClient { try FastCGIClient(port: port) }

    /// The exit status once it has exited, waiting up to `seconds`; nil while it runs.
    func exited(within seconds: TimeInterval) -> Int32? { process.exited(within: seconds) }

    func signal(_ number: Int32) { kill(pid, number) }

    /// SIGTERM and the exit status (-1 when it had to be killed).
    func terminate() -> Int32 { process.terminate() }
}
