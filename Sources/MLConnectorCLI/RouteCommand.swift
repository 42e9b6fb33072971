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

                --digest collects a channel route's notices (PO confirmed, invoice posted, payment posted) and posts them \
                as one message at those times of day (UTC, HH:MM, 1 to 24 of them): a section per document, up to 45, \
                the rest named in a last section. Approvals are never batched: --digest on a route that takes approval \
                cards is refused (exit 64).

                Example: ml-connector route add contoso --event 'Workflow_*_WorkItem' --approver --fallback-channel C0APPROVALS
                Example: ml-connector route add contoso --event PurchaseOrderConfirmedBusinessEvent --legal-entity usmf --min-amount 10000 --channel C0PURCHASING
                Example: ml-connector route add contoso --event VendorInvoicePostedBusinessEvent --channel C0AP --digest 09:00,13:00
                """)
        @Argument(help: "Connection name.") var name: String
        @Option(help: "BusinessEventId pattern; '*' matches anything (Workflow_*_WorkItem).") var event: String
        @Option(help: "Only this legal entity (dataAreaId).") var legalEntity: String?
        @Option(help: "Only documents of at least this amount.") var minAmount: String?
        @Option(help: "Post to this Slack channel id.") var channel: String?
        @Flag(help: "Send a direct message to the person the event names.") var approver = false
        @Option(help: "Send a direct message to this person.") var email: String?
        @Option(help: "Channel for cards whose person cannot be found in Slack.") var fallbackChannel: String?
        @Option(help: "Post the route's notices as one digest at these times of day, UTC (09:00,13:00); --channel routes only.")
        var digest: String?

        func validate() throws {
            let chosen = [channel != nil, approver, email != nil].filter { $0 }.count
            guard chosen == 1 else { throw ValidationError("give exactly one of --channel, --approver, --email") }
            if let minAmount, Decimal(string: minAmount) == nil || minAmount.contains(where: { $0 == "e" || $0 == "E" }) {
                throw ValidationError("--min-amount must be a decimal number such as 10000 or 2500.50")
            }
            if let email, !email.contains("@") { throw ValidationError("--email must be an email address") }
            guard !event.isEmpty else { throw ValidationError("--event must not be empty") }
            if let digest {
                guard channel != nil else { throw ValidationError("--digest needs --channel: approvals and direct messages are never batched") }
                guard DigestSchedule(parsing: digest) != nil else {
                    throw ValidationError("--digest must be 1 to \(DigestSchedule.maxTimes) times of day in UTC as HH:MM, comma-separated (09:00,13:00)")
                }
            }
        }

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let record = try context.connection(named: name, in: db)
            let destination: Route.Destination = channel.map(Route.Destination.channel)
                ?? email.map(Route.Destination.email) ?? .approver
            let schedule = digest.flatMap(DigestSchedule.init(parsing:))
            if schedule != nil, let approvals = Self.approvalEntry(taking: event, catalog: record.catalog) {
                throw CLIError("--digest is for notices; \(event) takes approval cards (catalog entry \(approvals)), which are never batched",
                               exitCode: .validationFailure)
            }
            let id = try reporting {
                try RouteStore(db).add(connectionID: record.id, pattern: event, legalEntity: legalEntity,
                                       minAmount: minAmount.flatMap { Decimal(string: $0) }, destination: destination,
                                       fallbackChannel: fallbackChannel, digest: schedule)
            }
            print("route \(id) added to \(record.name)")
        }

        /// The id of the connection's approval entry whose events are all the pattern can take (`Workflow_*_WorkItem`,
        /// or one workflow's work item); nil when the pattern reaches notices too.
        static func approvalEntry(taking pattern: String, catalog overrides: JSONValue) -> String? {
            let catalog = (try? EventCatalog.standard.overridden(by: overrides)) ?? EventCatalog.standard
            return catalog.entries.first { $0.kind == .approval && $0.rule.pattern.matches(pattern) }?.id
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a connection's routes in evaluation order.",
            discussion: """
                A table of id, event pattern, legal entity, minimum amount, destination, digest times (UTC) and \
                fallback channel; --json prints one object per line (id, pattern, legal_entity, min_amount as a decimal \
                string, destination: channel, approver or email, target, fallback_channel, digest: an array of HH:MM \
                times, empty when the route posts each notice as it comes).

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
            var table = TextTable(columns: ["ID", "EVENT", "LEGAL ENTITY", "MIN AMOUNT", "TO", "DIGEST (UTC)", "FALLBACK"])
            for route in routes {
                let to = switch route.destination {
                case .channel(let id): "channel \(id)"
                case .approver: "approver"
                case .email(let address): address
                }
                table.row([String(route.id), route.pattern.text, route.legalEntity ?? "-", route.minAmount.map { "\($0)" } ?? "-", to,
                           route.digest?.times.joined(separator: ",") ?? "-", route.fallbackChannel ?? "-"])
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
                "digest": .array((route.digest?.times ?? []).map(JSONValue.string)),
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
