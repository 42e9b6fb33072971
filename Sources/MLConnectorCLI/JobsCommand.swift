import ArgumentParser
import Common

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List jobs, newest first.",
        discussion: "Retention: \(JobStore.retention).")
    @Option(help: "available, running, completed, discarded or cancelled.") var state: String?
    @Option(help: "At most this many.") var limit = 50
    @Flag(help: "One JSON object per line.") var json = false

    func validate() throws {
        if let state, !["available", "running", "completed", "discarded", "cancelled"].contains(state) {
            throw ValidationError("--state must be available, running, completed, discarded or cancelled")
        }
    }

    func run() throws {
        let context = try CLIContext()
        let db = context.connect()
        let records = reporting { try JobStore(db, worker: "ml-connector").list(state: state, limit: max(1, limit)) }
        for record in records {
            if json { print(record.json.serialized()); continue }
            let o = record.json
            var line = "\(o["id"]?.serialized() ?? "")\t\(o["kind"]?.stringValue ?? "")\t\(o["state"]?.stringValue ?? "")"
            line += "\tattempt \(o["attempt"]?.serialized() ?? "")/\(o["max_attempts"]?.serialized() ?? "")"
            line += "\trun at \(o["run_at"]?.stringValue ?? "")\t\(o["connection"]?.stringValue ?? "-")\t\(o["event_id"]?.stringValue ?? "-")"
            if let error = o["last_error"]?.stringValue { line += "\t\(error)" }
            print(line)
        }
    }
}

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replay", abstract: "Run discarded jobs again.")
    @Argument(help: "Job ids (from `ml-connector jobs`).") var jobIDs: [Int64] = []
    @Flag(help: "Every discarded job.") var allDiscarded = false

    func validate() throws {
        guard jobIDs.isEmpty != !allDiscarded else { throw ValidationError("give job ids or --all-discarded") }
    }

    func run() throws {
        let context = try CLIContext()
        let db = context.connect()
        let replayed = reporting { try JobStore(db, worker: "ml-connector").replay(ids: allDiscarded ? nil : jobIDs) }
        if replayed.isEmpty { CLIContext.fail("no discarded job matched", code: 1) }
        print("replayed \(replayed.count) job(s): \(replayed.map(String.init).joined(separator: ", "))")
    }
}
