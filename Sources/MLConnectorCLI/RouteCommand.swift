import ArgumentParser
import Core
import Domain
import Outbound
import Jobs
import FoundationEssentials

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route", abstract: "Manage routing rules (first match wins, in the order added).",
        discussion: """
            A route sends a connection's business events whose BusinessEventId matches PATTERN (optionally only one \
            legal entity, only from an amount) to a channel, to the approver F&O assigned, or to one person. Events no \
            route matches are stored, audited as event.ignored and not posted.

            Example: ml-connector route add contoso --event 'Workflow_*_WorkItem' --approver --fallback-channel C0APPROVALS
            """,
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a route to a connection.",
            discussion: """
                Give exactly one destination: --channel (a channel id, C…), --approver (a direct message to the work \
                item's assignee as F&O records it) or --email. Prints the new route's id.

                Example: ml-connector route add contoso --event 'Workflow_*_WorkItem' --approver --fallback-channel C0APPROVALS
                Example: ml-connector route add contoso --event PurchaseOrderConfirmedBusinessEvent --legal-entity usmf --min-amount 10000 --channel C0PURCHASING
                """)
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
        static let configuration = CommandConfiguration(
            abstract: "List a connection's routes in evaluation order.",
            discussion: """
                A table of id, event pattern, legal entity, minimum amount, destination and fallback channel; --json \
                prints one object per line (id, pattern, legal_entity, min_amount as a decimal string, destination: \
                channel, approver or email, target, fallback_channel).

                Example: ml-connector route list contoso
                """)
        @Argument(help: "Connection name.") var name: String
        @Flag(help: "One JSON object per line.") var json = false

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let record = try context.connection(named: name, in: db)
            let routes = try reporting { try RouteStore(db).routes(connectionID: record.id) }
            if json {
                for route in routes { print(Self.json(route).serialized()) }
                return
            }
            if routes.isEmpty { print("no routes for \(record.name)"); return }
            var table = TextTable(columns: ["ID", "EVENT", "LEGAL ENTITY", "MIN AMOUNT", "TO", "FALLBACK"])
            for route in routes {
                let to = switch route.destination {
                case .channel(let id): "channel \(id)"
                case .approver: "approver"
                case .email(let address): address
                }
                table.row([String(route.id), route.pattern.text, route.legalEntity ?? "-", route.minAmount.map { "\($0)" } ?? "-", to,
                           route.fallbackChannel ?? "-"])
            }
            print(table.render())
        }

        static func json(_ route: Route) -> JSONValue {
            let (destination, target): (String, String?) = switch route.destination {
            case .channel(let id): ("channel", id)
            case .approver: ("approver", nil)
            case .email(let address): ("email", address)
            }
            return .object([
                "id": .number(String(route.id)), "pattern": .string(route.pattern.text),
                "legal_entity": route.legalEntity.map(JSONValue.string) ?? .null,
                "min_amount": route.minAmount.map { .string("\($0)") } ?? .null,
                "destination": .string(destination), "target": target.map(JSONValue.string) ?? .null,
                "fallback_channel": route.fallbackChannel.map(JSONValue.string) ?? .null,
            ])
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a route by id.",
            discussion: """
                The id is the first column of `route list`. Exit status 1 when there is no such route.

                Example: ml-connector route remove 7
                """)
        @Argument(help: "Route id (from `ml-connector route list`).") var routeID: Int64

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
