import Core

/// One kind of event in the catalog: which events it applies to, what is read over OData for them, which values
/// routing and approvals use, and what the card shows. The JSON format is described in `EventCatalog.swift`.
public struct CatalogEntry: Sendable {
    public enum Kind: String, Sendable {
        /// A card for people to read.
        case notice
        /// A card with Approve / Reject buttons for a workflow work item.
        case approval
        /// No card of its own: the work item's open approval card is updated (element or workflow completed).
        /// Needs no route.
        case workflowUpdate
        /// Stored and acknowledged, nothing more (a workflow start or an external task).
        case ignore
    }

    /// Which events the entry takes and its kind.
    public let rule: CatalogRule
    /// Unique in a catalog; an override with the same id replaces the entry.
    public var id: String { rule.id }
    public var kind: Kind { rule.kind }
    /// The card's header.
    public let title: Template
    /// Made in order; each may use the results of the ones before it.
    public private(set) var reads: [ReadTemplate]
    /// The document's amount, compared with a route's `--min-amount` (`value(in:)?.decimalValue`).
    public let amount: Template?
    /// The amount's currency code.
    public let currency: Template?
    /// Whom an `--approver` route sends the card to (the work item's user).
    public let personEmail: Template?
    /// The workflow work item the card's decision completes or the update closes.
    public let workItemID: Template?
    /// The F&O menu item the card links to (`?cmp=<legal entity>&mi=<menu item>`); the company's home page when nil.
    public let menuItem: String?
    public let card: CardTemplate

    private static let members: Set<String> = [
        "id", "event", "when", "kind", "title", "reads", "amount", "currency", "personEmail", "workItemID", "menuItem",
        "card",
    ]
    private static let reservedNames: Set<String> = ["event", "legalentity", "line", workItemRead, approverRead]
    /// What approval and workflow-update templates call the work item (`WorkflowWorkItems(Id=…)`) and its assignee
    /// (`SystemUsers(UserID=…)`), which the jobs read from F&O before the entry's own reads.
    public static let workItemRead = "workitem"
    public static let approverRead = "approver"

    init(json: CatalogJSON) throws(CatalogError) {
        let json = try json.object(allowing: Self.members)
        rule = try CatalogRule(json: json)
        title = try json.required("title").template()
        var reads: [ReadTemplate] = []
        for element in try json.member("reads")?.elements() ?? [] {
            reads.append(try ReadTemplate(json: element))
        }
        amount = try json.member("amount")?.template()
        currency = try json.member("currency")?.template()
        personEmail = try json.member("personEmail")?.template()
        workItemID = try json.member("workItemID")?.template()
        menuItem = try json.member("menuItem")?.string()
        if let card = json.member("card") { self.card = try CardTemplate(json: card) } else { card = .empty }
        self.reads = reads
        if kind == .approval || kind == .workflowUpdate, workItemID == nil { throw json.error("\"workItemID\" is required for \"\(kind.rawValue)\" entries") }
        try checkNames(in: json)
        self.reads = reads.map { $0.selecting(fields(usedFrom: $0.name, excluding: $0.expand)) }
    }

    /// Every template of the entry: reads' keys and filters, the entry's own, the card's (with whether it is a
    /// line list item, which sees `line`).
    var allTemplates: [(template: Template, lineRows: Template?)] {
        let own: [Template] = reads.flatMap(\.templates) + [title, amount, currency, personEmail, workItemID].compactMap { $0 }
        return own.map { ($0, nil) } + card.templates
    }

    /// The fields templates use directly below the result called `root` (`Subject` of `{workitem.Subject}`, and of
    /// `{lines.0.Voucher}` for a collection), including a line list's `{line.…}` when its rows are that result:
    /// what the read asks for with `$select`. Sorted; `excluding` (the expanded navigation) left out.
    public func fields(usedFrom root: String, excluding: String? = nil) -> [String] {
        let root = root.lowercased()
        // A line list over a whole collection read (`"rows": "{lines}"`) shows that read's rows as `line`.
        func rowsRoot(_ rows: Template) -> String? { rows.paths.first.flatMap { $0.count == 1 ? $0[0].lowercased() : nil } }
        var fields = Set<String>()
        for (template, lineRows) in allTemplates {
            let linesRoot = lineRows.flatMap(rowsRoot)
            for path in template.paths {
                let start = path[0].lowercased()
                guard start == root || (start == "line" && linesRoot == root) else { continue }
                var rest = path.dropFirst()
                if let first = rest.first, first.allSatisfy(\.isASCIIDigit) { rest = rest.dropFirst() }
                if let field = rest.first { fields.insert(field) }
            }
        }
        if let excluding { fields = fields.filter { $0.lowercased() != excluding.lowercased() } }
        return fields.sorted()
    }

    /// Whether `event` is one of this entry's: the pattern matches its `BusinessEventId` and every condition holds.
    public func matches(_ event: BusinessEvent) -> Bool { rule.matches(event) }

    /// Read names are unique and not reserved; every template names only `event`, `legalEntity`, reads (a read only
    /// the ones before it) and, in a line list's item, `line`. A misspelt name would otherwise just never have a value.
    private func checkNames(in json: CatalogJSON) throws(CatalogError) {
        var known: Set<String> = ["event", "legalentity"]
        if kind == .approval || kind == .workflowUpdate { known.formUnion([Self.workItemRead, Self.approverRead]) }
        for (index, read) in reads.enumerated() {
            let name = read.name.lowercased()
            guard !Self.reservedNames.contains(name), !known.contains(name) else {
                throw CatalogError("read name \"\(read.name)\" is reserved or used twice", at: "\(json.path).reads[\(index)]")
            }
            try Self.check(read.templates, known: known, at: "\(json.path).reads[\(index)]")
            known.insert(name)
        }
        let entryTemplates = [title, amount, currency, personEmail, workItemID].compactMap { $0 }
        try Self.check(entryTemplates, known: known, at: json.path)
        for (template, lineRows) in card.templates {
            try Self.check([template], known: lineRows != nil ? known.union(["line"]) : known, at: "\(json.path).card")
        }
    }

    private static func check(_ templates: [Template], known: Set<String>, at path: String) throws(CatalogError) {
        for template in templates {
            if let unknown = template.roots.subtracting(known).sorted().first {
                let names = known.sorted().joined(separator: ", ")
                throw CatalogError("unknown name \"\(unknown)\" in a template (known: \(names))", at: path)
            }
        }
    }
}
