public import ArgumentParser
import Core
import Domain
import Jobs

/// `ml-connector retention`: how long each kind of growing row is kept (DESIGN.md §7: nothing is deleted except by
/// retention rules the operator can see), and the operator's overrides. The worker's maintenance applies them hourly.
struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Show or set how long audit rows, events, receipts, caches, counts and jobs are kept.",
        discussion: """
            The worker (process-job, ml-connector-server --worker) deletes rows past their period once an hour, in \
            small batches. The history of an approval that is not final is kept whatever its age. Kinds: \
            \(RetentionPolicy.Kind.allCases.map(\.rawValue).joined(separator: ", ")).
            """,
        subcommands: [Show.self, SetPeriod.self, Reset.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Each kind: kept for, default or set, rows past it now (deleted by the next sweep).")
        @Flag(help: "One JSON object per kind, one per line.") var json = false

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let (policy, backlog) = try reporting { (try RetentionStore(db).policy(), try RetentionSweep.backlog(db)) }
            if !json {
                print(["kind", "kept for", "setting", "past it now", "covers"].joined(separator: "\t"))
            }
            for kind in RetentionPolicy.Kind.allCases {
                var object = policy.json(kind)
                object["past"] = .number(String(backlog[kind] ?? 0))
                if json {
                    print(JSONValue.object(object).serialized())
                    continue
                }
                let setting = policy.isOverridden(kind) ? "set (default \(RetentionPolicy.format(days: kind.defaultDays)))" : "default"
                print([kind.rawValue, RetentionPolicy.format(days: policy.days(kind)), setting, String(backlog[kind] ?? 0),
                       kind.summary].joined(separator: "\t"))
            }
        }
    }

    struct SetPeriod: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Keep one kind for a number of days (400d or 400).")
        @Argument(help: "The kind.") var kind: RetentionPolicy.Kind
        @Argument(help: "Days, e.g. 400d.") var period: String

        func validate() throws {
            do {
                _ = try RetentionPolicy.days(parsing: period, for: kind)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() throws {
            let days = try RetentionPolicy.days(parsing: period, for: kind)
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let policy = try reporting { try RetentionStore(db).set(kind, days: days) }
            print("\(kind.rawValue) kept for \(RetentionPolicy.format(days: policy.days(kind)))")
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Keep one kind for its default period again.")
        @Argument(help: "The kind.") var kind: RetentionPolicy.Kind

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let policy = try reporting { try RetentionStore(db).reset(kind) }
            print("\(kind.rawValue) kept for its default \(RetentionPolicy.format(days: policy.days(kind)))")
        }
    }
}

extension RetentionPolicy.Kind: ExpressibleByArgument {}
