public import ArgumentParser
import Core
import Domain
import Outbound
import Jobs

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List jobs, newest first.",
        discussion: """
            A table of id, kind, state, attempt, when it runs (UTC), connection, EventId and the last error; on a \
            terminal the last two are cut to fit COLUMNS (or 100), piped output is never cut. --json prints every \
            field in full, one object per line. Retention: \(JobStore.retention).

            Example: ml-connector jobs --state discarded --limit 20
            """)
    @Option(help: "available, running, completed, discarded or cancelled.") var state: JobState?
    @Option(help: "At most this many.") var limit = 50
    @Flag(help: "One JSON object per line.") var json = false

    func run() throws {
        let context = try CLIContext(Configuration.self)
        let db = try context.connect()
        let records = try reporting { try JobStore(db).list(state: state, limit: max(1, limit)) }
        if json {
            for record in records { print(record.json.serialized()) }
            return
        }
        if records.isEmpty { print(state.map { "no \($0.rawValue) jobs" } ?? "no jobs"); return }
        var table = TextTable(columns: ["ID", "KIND", "STATE", "ATTEMPT", "RUN AT", "CONNECTION", "EVENT", "LAST ERROR"],
                              shrinkable: ["EVENT", "LAST ERROR"])
        for record in records {
            let o = record.json
            table.row([o["id"]?.serialized() ?? "", o["kind"]?.stringValue ?? "", o["state"]?.stringValue ?? "",
                       "\(o["attempt"]?.serialized() ?? "")/\(o["max_attempts"]?.serialized() ?? "")",
                       o["run_at"]?.stringValue ?? "", o["connection"]?.stringValue ?? "-", o["event_id"]?.stringValue ?? "-",
                       o["last_error"]?.stringValue ?? ""])
        }
        print(table.render())
    }
}

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Run discarded jobs again.",
        discussion: """
            The jobs become available at once with their attempts reset; the replay is audited (job.replay). Exit \
            status 1 when no discarded job matched.

            Example: ml-connector replay 41 42
            Example: ml-connector replay --all-discarded
            """)
    @Argument(help: "Job ids (from `ml-connector jobs`).") var jobIDs: [Int64] = []
    @Flag(help: "Every discarded job.") var allDiscarded = false

    func validate() throws {
        guard jobIDs.isEmpty != !allDiscarded else { throw ValidationError("give job ids or --all-discarded") }
    }

    func run() throws {
        let context = try CLIContext(Configuration.self)
        let db = try context.connect()
        let replayed = try reporting { try JobStore(db).replay(ids: allDiscarded ? nil : jobIDs) }
        if replayed.isEmpty { throw CLIError("no discarded job matched") }
        print("replayed \(replayed.count) job(s): \(replayed.map(String.init).joined(separator: ", "))")
    }
}

extension JobState: ExpressibleByArgument {}
