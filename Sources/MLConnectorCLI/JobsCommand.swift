public import ArgumentParser
import Core
import Domain
import Outbound
import Jobs

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List jobs, newest first.",
        discussion: "Retention: \(JobStore.retention).")
    @Option(help: "available, running, completed, discarded or cancelled.") var state: JobState?
    @Option(help: "At most this many.") var limit = 50
    @Flag(help: "One JSON object per line.") var json = false

    func run() throws {
        let context = try CLIContext(Configuration.self)
        let db = try context.connect()
        let records = try reporting { try JobStore(db).list(state: state, limit: max(1, limit)) }
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
        let context = try CLIContext(Configuration.self)
        let db = try context.connect()
        let replayed = try reporting { try JobStore(db).replay(ids: allDiscarded ? nil : jobIDs) }
        if replayed.isEmpty { throw CLIError("no discarded job matched") }
        print("replayed \(replayed.count) job(s): \(replayed.map(String.init).joined(separator: ", "))")
    }
}

extension JobState: ExpressibleByArgument {}
