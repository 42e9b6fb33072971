import ArgumentParser
import Core
import Domain
import Outbound
import Jobs
import FoundationEssentials

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route", abstract: "Manage routing rules (first match wins, in the order added).",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a route to a connection.")
        @Argument(help: "Connection name.") var name: String
        @Option(help: "BusinessEventId pattern; '*' matches anything (Workflow_*_WorkItem).") var event: String
        @Option(help: "Only this legal entity (dataAreaId).") var legalEntity: String?
        @Option(help: "Only documents of at least this amount.") var minAmount: String?
        @Option(help: "Post to this Slack channel id.") var channel: String?
        @Flag(help: "Send a direct message to the person the event names.") var approver = false
        @Option(help: "Send a direct message to this person.") var email: String?
        @Option(help: "Channel for cards whose person cannot be found in Slack.") var fallbackChannel: String?

        func validate() throws {
            let chosen = [channel != nil, approver, email != nil].filter { $0 }.count
            guard chosen == 1 else { throw ValidationError("give exactly one of --channel, --approver, --email") }
            if let minAmount, Decimal(string: minAmount) == nil || minAmount.contains(where: { $0 == "e" || $0 == "E" }) {
                throw ValidationError("--min-amount must be a decimal number such as 10000 or 2500.50")
            }
            if let email, !email.contains("@") { throw ValidationError("--email must be an email address") }
            guard !event.isEmpty else { throw ValidationError("--event must not be empty") }
        }

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let record = try context.connection(named: name, in: db)
            let destination: Route.Destination = channel.map(Route.Destination.channel)
                ?? email.map(Route.Destination.email) ?? .approver
            let id = try reporting {
                try RouteStore(db).add(connectionID: record.id, pattern: event, legalEntity: legalEntity,
                                       minAmount: minAmount.flatMap { Decimal(string: $0) }, destination: destination,
                                       fallbackChannel: fallbackChannel)
            }
            print("route \(id) added to \(record.name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a connection's routes in evaluation order.")
        @Argument var name: String

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let record = try context.connection(named: name, in: db)
            let routes = try reporting { try RouteStore(db).routes(connectionID: record.id) }
            if routes.isEmpty { print("no routes for \(record.name)"); return }
            for route in routes {
                var line = "\(route.id)\t\(route.pattern.text)"
                if let entity = route.legalEntity { line += "\tlegal entity \(entity)" }
                if let amount = route.minAmount { line += "\tfrom \(amount)" }
                switch route.destination {
                case .channel(let id): line += "\t→ channel \(id)"
                case .approver: line += "\t→ approver"
                case .email(let address): line += "\t→ \(address)"
                }
                if let fallback = route.fallbackChannel { line += "\tfallback \(fallback)" }
                print(line)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a route by id.")
        @Argument var routeID: Int64

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            guard try reporting({ try RouteStore(db).remove(routeID: routeID) }) else {
                throw CLIError("no route \(routeID)")
            }
            print("route \(routeID) removed")
        }
    }
}
