import ArgumentParser
import Core
import Domain

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The queue, open approvals and each connection's last event, post and outbound call; exit 1 when unhealthy.",
        discussion: """
            Exit status for monitors: 0 healthy; 1 when a running job's lease has expired (its worker died), a job \
            has been due for more than 5 minutes (no worker is draining the queue), a connection's last outbound \
            call failed (run `ml-connector ping NAME`), or the database cannot be read.

            Example: ml-connector status
            Example (a monitor): ml-connector status --json | jq .problems
            """)
    @Flag(help: "One JSON object.") var json = false

    func run() throws {
        let context = try CLIContext(Configuration.self)
        let db = try context.connect()
        let report = try reporting { try StatusReport.gather(from: db) }
        if json {
            print(report.json.serialized())
        } else {
            print(Self.render(report))
        }
        if !report.isHealthy { throw ExitCode(1) }
    }

    static func render(_ report: StatusReport) -> String {
        func counts<S: RawRepresentable<String>>(_ states: [S], _ values: [S: Int]) -> String {
            states.map { "\($0.rawValue) \(values[$0] ?? 0)" }.joined(separator: "  ")
        }
        var lines = [
            "jobs        " + counts(JobState.allCases, report.jobs.counts),
            "oldest due  " + (report.jobs.oldestDueSeconds.map { "\($0) s" } ?? "none due"),
            "approvals   " + counts(ApprovalState.allCases, report.approvals),
            "retention   " + RetentionPolicy.Kind.allCases.map {
                "\($0.rawValue) \(RetentionPolicy.format(days: report.retention.days($0)))\(report.retention.isOverridden($0) ? " (set)" : "")"
            }.joined(separator: "  "),
            "",
        ]
        var table = TextTable(columns: ["CONNECTION", "LAST EVENT", "LAST POST", "LAST OUTBOUND CALL"])
        for connection in report.connections {
            var call = "-"
            if let last = connection.lastCall {
                call = "\(last.entry.outcome.rawValue) \(last.entry.action) \(last.entry.call?.status.map(String.init) ?? "no answer") \(last.at)"
            }
            table.row([connection.name, connection.lastEventAt ?? "-", connection.lastPostAt ?? "-", call])
        }
        lines.append(report.connections.isEmpty ? "no connections" : table.render())
        lines.append("")
        if report.isHealthy {
            lines.append("healthy")
        } else {
            lines.append("UNHEALTHY:")
            lines += report.problems.map { "  - " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
