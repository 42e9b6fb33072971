import ArgumentParser
import Core
import Domain
import Outbound
import Jobs
import Metadata
import Logging
import FoundationEssentials

/// `catalog show` and `catalog check` (DESIGN.md §6.2): a connection's effective event catalog, and the schema
/// names it uses proved against the environment's `$metadata`.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Show a connection's effective event catalog, or check it against $metadata.",
        discussion: """
            The catalog says, per kind of business event, what is read over OData and what the card shows (DESIGN.md \
            §7); `connection catalog NAME --file` stores a connection's overrides.

            Example: ml-connector catalog check contoso
            """,
        subcommands: [Show.self, Check.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The connection's effective event catalog: the standard one with the connection's overrides.",
            discussion: """
                --json prints it as one catalog document, which `connection catalog NAME --file` takes back as overrides.

                Example: ml-connector catalog show contoso --json > catalog.json
                """)
        @Argument var name: String
        @Flag(help: "The effective catalog as one JSON document in the catalog's own format.") var json = false

        func run() throws {
            let context = try CLIContext(Configuration.self)
            let db = try context.connect()
            let record = try context.connection(named: name, in: db)
            let document: JSONValue
            do {
                document = try EventCatalog.effectiveDocument(overriddenBy: record.catalog)
            } catch {
                throw CLIError("the stored catalog overrides of \(record.name) are not valid: \(error)", exitCode: .invalidData)
            }
            print(json ? CatalogText.prettyJSON(document) : CatalogText.summary(document))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every name the connection's catalog uses against the environment's $metadata.",
            discussion: """
                Reads {dynamics-url}/data/$metadata with the connection's Entra ID token, or --metadata FILE, and looks up
                entity sets, keys, properties filtered or read by templates, navigations expanded, enum members, the
                workflow actions and their parameters, and the names the approval code reads. Each missing name is
                printed with where it is used and the closest names that exist. Exit status 0 when all are found, 1 when
                not, 65 when the $metadata is not CSDL, 66 when FILE cannot be read, 69 when $metadata cannot be fetched.

                Example: ml-connector catalog check contoso
                Example: ml-connector catalog check contoso --metadata metadata.xml --json
                """)
        @Argument var name: String
        @Option(help: "A $metadata (CSDL XML) file to check against instead of the environment's.") var metadata: String?
        @Flag(help: "One JSON object: {\"ok\", \"checked\", \"missing\": [...]}.") var json = false

        func run() throws {
            let result: CatalogCheck
            if let metadata {
                let context = try CLIContext(Configuration.self)
                let record = try context.connection(named: name, in: try context.connect())
                guard let data = FileManager.default.contents(atPath: metadata) else {
                    throw CLIError("cannot read \(metadata)", exitCode: .noInput)
                }
                result = try CatalogCommand.check(record, metadata: Array(data))
            } else {
                let context = try CLIContext(KeyedConfiguration.self)
                let db = try context.connect()
                let record = try context.connection(named: name, in: db)
                result = try CatalogCommand.check(record, metadata: try CatalogCommand.fetchMetadata(record, db: db, context: context))
            }
            if json {
                print(result.json.serialized())
            } else {
                for line in result.lines { print(line) }
                print(result.summary)
            }
            if !result.ok { throw ExitCode(1) }
        }
    }
}

extension CatalogCommand {
    /// `$metadata` can be tens of megabytes in a real environment: a client with room and time for it.
    private static let metadataHTTP = HTTPClient(configuration: .init(totalTimeout: .seconds(180), maxResponseBytes: 512 * 1024 * 1024))

    /// The environment's `$metadata`, read with the connection's Entra ID token (audited as `odata.metadata`).
    static func fetchMetadata(_ record: ConnectionRecord, db: PostgresConnection, context: CLIContext<KeyedConfiguration>)
        throws(CLIError) -> [UInt8] {
        let jobs = JobContext(db: db, http: metadataHTTP, box: context.loaded.secretBox,
                              logger: Logger.json(component: "ml-connector", level: context.configuration.logLevel))
        do {
            return try jobs.dynamics(connectionID: record.id, scope: OutboundCaller.Scope(connection: record.name)).metadata()
        } catch let error as PlatformError {
            throw CLIError("cannot read $metadata: \(error.message)", exitCode: .unavailable)
        } catch let error as PostgresError {
            throw CLIError(error.operatorDescription)
        } catch {
            throw CLIError("cannot read $metadata: \(error)", exitCode: .unavailable)
        }
    }

    /// The connection's effective catalog checked against a `$metadata` document.
    static func check(_ record: ConnectionRecord, metadata: [UInt8]) throws(CLIError) -> CatalogCheck {
        let catalog: EventCatalog
        do {
            catalog = try EventCatalog.standard.overridden(by: record.catalog)
        } catch {
            throw CLIError("the stored catalog overrides of \(record.name) are not valid: \(error)", exitCode: .invalidData)
        }
        let model: ServiceMetadata
        do {
            model = try ServiceMetadata(csdl: metadata)
        } catch {
            throw CLIError(error.description, exitCode: .invalidData)
        }
        return CatalogCheck(catalog.schemaReferences, against: model)
    }
}

/// How `catalog show` prints a catalog document: a readable summary, or indented JSON.
enum CatalogText {
    /// One block per entry (id, kind, event pattern, conditions, reads, card), then the dimension formats read, the
    /// workflow actions and the reminders.
    static func summary(_ document: JSONValue) -> String {
        var lines: [String] = []
        for entry in document["entries"]?.arrayValue ?? [] {
            lines.append("\(text(entry["id"])) (\(text(entry["kind"])))")
            lines.append("  event: \(text(entry["event"]))")
            for (field, value) in entry["when"]?.objectValue ?? [:] { lines.append("  when: \(field) = \(text(value))") }
            lines.append("  title: \(template(entry["title"]))")
            for read in entry["reads"]?.arrayValue ?? [] { lines.append("  read " + self.read(read)) }
            for member in ["amount", "currency", "personEmail", "workItemID", "outcome", "menuItem"] {
                if let value = entry[member] { lines.append("  \(member): \(template(value))") }
            }
            if let card = entry["card"] {
                for member in ["text", "summary"] {
                    if let value = card[member] { lines.append("  card \(member): \(template(value).replacing("\n", with: "\\n"))") }
                }
                for field in card["fields"]?.arrayValue ?? [] {
                    lines.append("  card field \(text(field["label"])): \(template(field["value"]))")
                }
                if let list = card["lines"] {
                    let title = list["title"].map { "\"\(text($0))\" " } ?? ""
                    lines.append("  card lines \(title)rows \(template(list["rows"])), item \(template(list["item"]))")
                }
            }
            lines.append("")
        }
        if let formats = document["dimensionFormats"] { lines.append("dimension formats: read " + read(formats)) }
        if let actions = document["workflowActions"] {
            for name in ["validate", "complete"] {
                guard let action = actions[name] else { continue }
                let body = (action["body"]?.objectValue ?? [:]).map { "\($0.key)=\(text($0.value))" }.joined(separator: ", ")
                lines.append("workflow \(name): POST \(text(action["path"])) {\(body)}")
            }
            if let outcomes = actions["outcomes"] {
                let named = ApprovalDecision.allCases.map(WorkflowActions.catalogName).compactMap { name -> String? in
                    guard let outcome = outcomes[name] else { return nil }
                    guard let detailed = outcome.objectValue else { return "\(name) \(text(outcome))" }
                    let body = (detailed["body"]?.objectValue ?? [:]).map { "\($0.key)=\(text($0.value))" }.joined(separator: ", ")
                    return "\(name) \(text(detailed["outcome"]))" + (body.isEmpty ? "" : " (\(body))")
                }
                lines.append("workflow outcomes: " + named.joined(separator: ", "))
            }
        }
        if let reminders = document["reminders"] {
            let points = (reminders["points"]?.arrayValue ?? []).map { text($0) }
            lines.append("reminders: " + (points.isEmpty ? "off" : points.joined(separator: ", ") + " before the due time")
                         + (reminders["quietHours"].map { ", quiet hours \(text($0)) in the approver's Slack time zone" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    /// `order: PurchaseOrderHeadersV2(dataAreaId={legalEntity}, …) expand PurchaseOrderLinesV2`.
    private static func read(_ read: JSONValue) -> String {
        var line = (read["name"].map { text($0) + ": " } ?? "") + text(read["entitySet"])
        if let key = read["key"]?.objectValue {
            line += "(" + key.map { "\($0.key)=\(literal($0.value))" }.joined(separator: ", ") + ")"
        }
        if let filter = read["filter"]?.objectValue {
            line += " filter " + filter.map { "\($0.key) eq \(literal($0.value))" }.joined(separator: " and ")
            line += read["rows"]?.stringValue == "all" ? ", all rows" : ", first row"
        } else if read["key"] == nil {
            line += read["rows"]?.stringValue == "all" ? " all rows" : " first row"
        }
        if let expand = read["expand"] { line += " expand \(text(expand))" }
        if read["optional"]?.boolValue == true { line += " (optional)" }
        if read["crossCompany"]?.boolValue == false { line += " (no cross-company)" }
        return line
    }

    /// A key or filter value: a template, or `{"guid"|"number"|"string": template}`, or `{"enum": T, "symbol": s}`.
    private static func literal(_ value: JSONValue) -> String {
        guard let object = value.objectValue else { return "'\(template(value))'" }
        if let type = object["enum"] { return "\(text(type))'\(template(object["symbol"]))'" }
        if let string = object["string"] { return "'\(template(string))'" }
        return template(object["guid"] ?? object["number"])
    }

    /// The first alternative, with how many more there are.
    private static func template(_ value: JSONValue?) -> String {
        guard let alternatives = value?.arrayValue else { return text(value) }
        let more = alternatives.count > 1 ? " (+\(alternatives.count - 1) alternative\(alternatives.count > 2 ? "s" : ""))" : ""
        return text(alternatives.first) + more
    }

    private static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?, .number(let text)?: text
        case .bool(let flag)?: flag ? "true" : "false"
        case nil, .null?: ""
        case let other?: other.serialized()
        }
    }

    /// JSON indented by two spaces, members in order, scalars as `serialized()` writes them.
    static func prettyJSON(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let elements) where !elements.isEmpty:
            return "[\n" + elements.map { inner + prettyJSON($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let object) where !object.isEmpty:
            let members = object.map { inner + JSONValue.string($0.key).serialized() + ": " + prettyJSON($0.value, indent: inner) }
            return "{\n" + members.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return value.serialized()
        }
    }
}
