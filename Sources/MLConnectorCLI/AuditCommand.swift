import ArgumentParser
import Core
import Domain
import Outbound
import Jobs

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the audit log, oldest first.")
    @Option(help: "Only rows of this EventId.") var event: String?
    @Option(help: "Only rows of this connection.") var connection: String?
    @Option(help: "At most this many (the newest).") var limit = 100
    @Flag(help: "One JSON object per line.") var json = false

    func run() throws {
        let context = try CLIContext(Configuration.self)
        let db = try context.connect()
        let records = try reporting { try AuditStore(db).entries(eventID: event, connection: connection, limit: max(1, limit)) }
        for record in records {
            if json {
                print(record.json.serialized())
                continue
            }
            let entry = record.entry
            var line = "\(record.at)  \(entry.connection ?? "-")  \(entry.action)  \(entry.outcome.rawValue)"
            if let eventID = entry.eventID { line += "  event \(eventID)" }
            if let call = entry.call {
                line += "  \(call.method) \(call.target) → \(call.status.map(String.init) ?? "no response") in \(call.durationMilliseconds) ms"
            }
            if !entry.detail.isEmpty { line += "  \(entry.detail)" }
            print(line)
        }
    }
}
