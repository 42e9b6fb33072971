import Core
import Interactions
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The deployment files of `infra/fastcgi`, each tried here: real nginx, lighttpd, spawn-fcgi and fcgiwrap on loopback
/// (as root, the servers drop to nobody/nogroup), real PostgreSQL; the systemd units through `systemd-analyze verify`.
@Suite("FastCGI deployments", .serialized, .needsDatabase)
struct FastCGIDeploymentTests {
    static let key = "test-event-key-0123456789"
    static let serverUser = ["MLC_SERVER_USER": "nobody", "MLC_SERVER_GROUP": "nogroup"]

    let database: TestDatabase
    let run: String
    let port = DeploymentFiles.freePort()

    init() throws {
        database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("default").status == 0)
        #expect(try cli.run(["route", "add", "default", "--event", "*", "--channel", "C0FINANCE"]).status == 0)
        run = try DeploymentFiles.runDirectory()
    }

    var values: [String: String] {
        Self.serverUser.merging(["MLC_RUN": run, "MLC_PORT": String(port), "MLC_BIN": TestEnvironment.binDirectory.path,
                                 "MLC_DATABASE_URL": database.url, "MLC_MASTER_KEY": TestEnvironment.masterKey]) { $1 }
    }

    func postEvents(_ range: ClosedRange<Int>) throws -> [Int] {
        try range.map { try DeploymentFiles.post(port: port, path: "/events/default?code=\(Self.key)", body: FastCGITests.event($0)).status }
    }

    func count() throws -> Int { try database.connect().query("SELECT count(*) AS n FROM business_event").first!.int("n") }

    func startNginx(_ template: String) throws -> [pid_t] {
        try DeploymentFiles.render(template, values, to: run + "/nginx.conf")
        let started = try ProcessRunner.run("/usr/sbin/nginx", arguments: ["-c", run + "/nginx.conf"], environment: [:])
        #expect(started.status == 0, "\(started.stderr)")
        #expect(DeploymentFiles.waitFor(run + "/nginx.pid"))
        return DeploymentFiles.pids(run + "/nginx.pid")
    }

    @Test("nginx fastcgi_pass to both handlers started by spawn-fcgi (2 processes, as nobody)")
    func nginxSpawnFCGI() throws {
        var environment = ["MLC_DATABASE_URL": database.url, "MLC_LOG_LEVEL": "warning", "MLC_MASTER_KEY": TestEnvironment.masterKey]
        for (handler, processes) in [("handle-business-event", "2"), ("handle-slack-interaction", "1")] {
            environment["PATH"] = "/usr/bin:/bin"
            let spawned = try ProcessRunner.run("/bin/bash", arguments: [DeploymentFiles.path("spawn-fcgi.sh"), TestEnvironment.binary(handler),
                                                                         "\(run)/\(handler).sock", processes, "\(run)/\(handler).pid", "nobody"],
                                                environment: environment)
            #expect(spawned.status == 0, "\(spawned.stderr)")
        }
        let handlers = DeploymentFiles.pids("\(run)/handle-business-event.pid") + DeploymentFiles.pids("\(run)/handle-slack-interaction.pid")
        #expect(handlers.count == 3)
        let nginx = try startNginx("nginx-fastcgi.conf")
        defer {
            DeploymentFiles.stop(nginx, signal: SIGQUIT)
            DeploymentFiles.stop(handlers)
        }
        #expect(try postEvents(1...30) == Array(repeating: 202, count: 30))
        let duplicate = try DeploymentFiles.post(port: port, path: "/events/default?code=\(Self.key)", body: FastCGITests.event(1))
        #expect(duplicate.status == 200 && duplicate.body.contains("\"duplicates\":1"))
        let tooLarge = try DeploymentFiles.post(port: port, path: "/events/default?code=\(Self.key)", body: Array(repeating: 0x20, count: 1_200_000))
        #expect(tooLarge.status == 413)
        #expect(try postEvents(31...32) == [202, 202])

        let body = Array(#"{"type":"url_verification","challenge":"ch-42"}"#.utf8)
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let challenge = try DeploymentFiles.post(port: port, path: "/slack/default", headers: [
            "Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": SlackSignature.sign(body: body, timestamp: timestamp, secret: CLI.secrets["MLC_SLACK_SIGNING_SECRET"]!),
        ], body: body)
        #expect(challenge.status == 200 && challenge.body.contains("ch-42"), "\(challenge)")
        #expect(try count() == 32)
        #expect(handlers.allSatisfy { kill($0, 0) == 0 }, "the same processes served every request")
    }

    @Test("lighttpd fastcgi.server with bin-path starts the handler, and starts it again when it dies")
    func lighttpdBinPath() throws {
        try DeploymentFiles.render("lighttpd.conf", values, to: run + "/lighttpd.conf")
        let check = try ProcessRunner.run("/usr/sbin/lighttpd", arguments: ["-tt", "-f", run + "/lighttpd.conf"], environment: [:])
        #expect(check.status == 0, "\(check.stderr)\(check.stdoutText)")
        let lighttpd = try BackgroundProcess("/usr/sbin/lighttpd", arguments: ["-D", "-f", run + "/lighttpd.conf"], environment: [:])
        #expect(DeploymentFiles.waitFor(run + "/lighttpd.pid"))
        #expect(DeploymentFiles.waitFor(run + "/lighttpd-business-event.sock-0"))
        #expect(try postEvents(1...10) == Array(repeating: 202, count: 10))
        let first = DeploymentFiles.children(of: lighttpd.pid)
        #expect(first.count == 3, "two business-event processes and one slack-interaction process")
        for pid in first { kill(pid, SIGKILL) }
        // lighttpd notices dead backends on its once-a-second check and starts them again; meanwhile it answers 503.
        var n = 10, restarted = false
        let deadline = Date().addingTimeInterval(20)
        while !restarted && Date() < deadline {
            n += 1
            restarted = try DeploymentFiles.post(port: port, path: "/events/default?code=\(Self.key)", body: FastCGITests.event(n)).status == 202
            if !restarted { usleep(200_000) }
        }
        #expect(restarted)
        #expect(try postEvents(n + 1...n + 10) == Array(repeating: 202, count: 10))
        let second = DeploymentFiles.children(of: lighttpd.pid)
        #expect(!second.isEmpty && Set(second).isDisjoint(with: first), "\(first) → \(second)")
        #expect(try count() == 21)
        #expect(lighttpd.terminate() == 0)
    }

    @Test("nginx + fcgiwrap: the handler as CGI, one process per request")
    func nginxFcgiwrap() throws {
        let fcgiwrap = try BackgroundProcess("/usr/sbin/fcgiwrap", arguments: ["-s", "unix:\(run)/fcgiwrap.sock", "-c", "1"], environment: [:])
        #expect(DeploymentFiles.waitFor(run + "/fcgiwrap.sock"))
        chmod(run + "/fcgiwrap.sock", 0o666)
        let nginx = try startNginx("nginx-fcgiwrap.conf")
        defer { DeploymentFiles.stop(nginx, signal: SIGQUIT) }
        #expect(try postEvents(1...5) == Array(repeating: 202, count: 5))
        #expect(try count() == 5)
        _ = fcgiwrap.terminate() // -c 1: one process, no children left behind
    }

    @Test("the systemd units pass systemd-analyze verify (ExecStart pointed at the built binaries)")
    func systemdUnits() throws {
        let units = NSTemporaryDirectory() + "mlc-units-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: units, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: units) }
        let names = try FileManager.default.contentsOfDirectory(atPath: DeploymentFiles.path("systemd")).sorted()
        #expect(names.count == 7)
        for name in names {
            let text = try String(contentsOfFile: DeploymentFiles.path("systemd/\(name)"), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin", with: TestEnvironment.binDirectory.path)
                .replacingOccurrences(of: "EnvironmentFile=/etc/ml-connector/env", with: "EnvironmentFile=-\(units)/env")
            try text.write(toFile: "\(units)/\(name)", atomically: true, encoding: .utf8)
        }
        let result = try ProcessRunner.run("/usr/bin/systemd-analyze", arguments: ["verify"] + names.map { "\(units)/\($0)" },
                                           environment: ["SYSTEMD_LOG_LEVEL": "warning"])
        #expect(result.status == 0 && result.stderr.isEmpty && result.stdoutText.isEmpty, "\(result.stderr)\(result.stdoutText)")
        for handler in ["handle-business-event", "handle-slack-interaction"] {
            let service = try String(contentsOfFile: DeploymentFiles.path("systemd/\(handler).service"), encoding: .utf8)
            #expect(service.contains("StandardInput=socket") && service.contains("RestartPreventExitStatus=78"))
        }
    }

    @Test("the crontab line: five time fields, and its command drains the queue")
    func crontabLine() throws {
        let lines = try String(contentsOfFile: DeploymentFiles.path("crontab"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(lines.count == 1)
        let fields = lines[0].split(separator: " ", maxSplits: 5)
        #expect(fields.prefix(5).allSatisfy { $0 == "*" || Int($0) != nil })
        try "export MLC_DATABASE_URL='\(database.url)' MLC_MASTER_KEY='\(TestEnvironment.masterKey)'\n".write(toFile: run + "/env", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: run + "/log", withIntermediateDirectories: true)
        #expect(try postEventsThroughCGI() == 202)
        let command = String(fields[5]).replacingOccurrences(of: "/etc/ml-connector/env", with: run + "/env")
            .replacingOccurrences(of: "/usr/local/bin", with: TestEnvironment.binDirectory.path)
            .replacingOccurrences(of: "/var/log/ml-connector", with: run + "/log")
            .replacingOccurrences(of: "--max-seconds 55", with: "--max-seconds 5")
        let result = try ProcessRunner.run("/bin/sh", arguments: ["-c", command], environment: [:], timeout: 60)
        #expect(result.status == 0, "\((try? String(contentsOfFile: run + "/log/process-job.log", encoding: .utf8)) ?? "")")
        let left = try database.connect().query("SELECT count(*) AS n FROM job WHERE state = 'available' AND attempt = 0").first!.int("n")
        #expect(left == 0, "the drain claimed the queued job")
    }

    /// One event queued through the CGI handler, for the drain to find.
    func postEventsThroughCGI() throws -> Int {
        try HandlerInvocation(binary: TestEnvironment.binary("handle-business-event"), databaseURL: database.url)
            .send(.cgi, path: "/default", query: "code=\(Self.key)", body: FastCGITests.event(1)).status
    }
}
