import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of `infra/fastcgi` rendered for a test (their `${MLC_…}` placeholders filled), HTTP requests through
/// the web server started from them (curl), and the processes those servers leave behind stopped.
enum DeploymentFiles {
    static var directory: URL {
        URL(fileURLWithPath: TestEnvironment.clusterScript).deletingLastPathComponent().appendingPathComponent("fastcgi")
    }

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// `name` with each `${KEY}` of `values` replaced (what envsubst does with the list of variables it is given).
    static func render(_ name: String, _ values: [String: String], to destination: String) throws {
        var text = try String(contentsOfFile: path(name), encoding: .utf8)
        for (key, value) in values { text = text.replacingOccurrences(of: "${\(key)}", with: value) }
        try text.write(toFile: destination, atomically: true, encoding: .utf8)
    }

    /// A folder for sockets, pid files, logs and temp files that the unprivileged server user can enter.
    static func runDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "mlc-deploy-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        return path
    }

    static func freePort() -> UInt16 {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0 }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// One HTTP request through the web server on `port` (curl); status and body.
    static func post(port: UInt16, path: String, headers: [String: String] = ["Content-Type": "application/json"],
                     body: [UInt8]) throws -> (status: Int, body: String) {
        let file = NSTemporaryDirectory() + "mlc-body-" + UUID().uuidString
        FileManager.default.createFile(atPath: file, contents: Data(body))
        defer { try? FileManager.default.removeItem(atPath: file) }
        var arguments = ["-s", "-S", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}", "--data-binary", "@\(file)"]
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        let result = try ProcessRunner.run("/usr/bin/curl", arguments: arguments + ["http://127.0.0.1:\(port)\(path)"], environment: [:])
        let text = result.stdoutText
        guard let newline = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: newline)...]) else {
            throw UnexpectedOutput(text: text + result.stderr)
        }
        return (status, String(text[..<newline]))
    }

    /// Waits until `path` exists (a socket or pid file the server creates).
    static func waitFor(_ path: String, seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            usleep(20_000)
        }
        return false
    }

    /// The pids in a pid file (spawn-fcgi writes one per process, nginx one).
    static func pids(_ file: String) -> [pid_t] {
        ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(whereSeparator: \.isNewline).compactMap { pid_t($0) }
    }

    /// SIGTERM (nginx: SIGQUIT) to processes that are not the test's children, and waits until they are gone.
    static func stop(_ pids: [pid_t], signal number: Int32 = SIGTERM) {
        for pid in pids { kill(pid, number) }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && pids.contains(where: { kill($0, 0) == 0 }) { usleep(20_000) }
        for pid in pids where kill(pid, 0) == 0 { kill(pid, SIGKILL) }
    }

    /// The children of `pid` (Linux `/proc/<pid>/task/<pid>/children`).
    static func children(of pid: pid_t) -> [pid_t] {
        ((try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? "").split(separator: " ").compactMap { pid_t($0) }
    }
}
