import ArgumentParser
import Core
import Domain
import Outbound
import Jobs

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the audit log, oldest first.",
        discussion: """
            A table of when (UTC), connection, EventId, action, outcome (ok or error), the outbound call (method, \
            path without host or query, status, duration) and the detail (on a terminal, EventId, call and detail \
            are cut to fit COLUMNS or 100; piped output never is); --json prints one object per line with every \
            field (at, connection, event_id, job_id, action, outcome, detail, http_*). Without --event or \
            --connection, the newest rows of every connection.

            Example: ml-connector audit --event 7F3E2D1C-0B9A-4876-A5B4-C3D2E1F0A9B8
            Example: ml-connector audit --connection contoso --limit 20 --json
            """)
    @Option(help: "Only rows of this EventId.") var event: String?
    @Option(help: "Only rows of this connection.") var connection: String?
    @Option(help: "At most this many (the newest).") var limit = 100
    @Flag(help: "One JSON object per line.") var json = false

    func run() throws {
        let context = try CLIContext(Configuration.self)
        let db = try context.connect()
        let records = try reporting { try AuditStore(db).entries(eventID: event, connection: connection, limit: max(1, limit)) }
        if json {
            for record in records { print(record.json.serialized()) }
            return
        }
        if records.isEmpty { print("no audit rows"); return }
        var table = TextTable(columns: ["AT", "CONNECTION", "EVENT", "ACTION", "OUTCOME", "CALL", "DETAIL"],
                              shrinkable: ["EVENT", "CALL", "DETAIL"])
        for record in records {
            let entry = record.entry
            let call = entry.call.map {
                "\($0.method) \($0.target) → \($0.status.map(String.init) ?? "no response") in \($0.durationMilliseconds) ms"
            }
            table.row([record.at, entry.connection ?? "-", entry.eventID ?? "-", entry.action, entry.outcome.rawValue,
                       call ?? "", entry.detail])
        }
        print(table.render())
    }
}
