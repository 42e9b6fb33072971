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
    public let reads: [ReadTemplate]
    /// The document's amount, compared with a route's `--min-amount` (`value(in:)?.decimalValue`).
    public let amount: Template?
    /// The amount's currency code.
    public let currency: Template?
    /// Whom an `--approver` route sends the card to (the work item's user).
    public let personEmail: Template?
    /// The workflow work item the card's decision completes or the update closes.
    public let workItemID: Template?
    /// A workflow update's outcome (`Approved`, `Rejected`, …).
    public let outcome: Template?
    /// The F&O menu item the card links to (`?cmp=<legal entity>&mi=<menu item>`); the company's home page when nil.
    public let menuItem: String?
    public let card: CardTemplate

    private static let members: Set<String> = [
        "id", "event", "when", "kind", "title", "reads", "amount", "currency", "personEmail", "workItemID", "outcome",
        "menuItem", "card",
    ]
    private static let reservedNames: Set<String> = ["event", "legalentity", "line"]

    init(json: CatalogJSON) throws(CatalogError) {
        let json = try json.object(allowing: Self.members)
        rule = try CatalogRule(json: json)
        title = try json.required("title").template()
        var reads: [ReadTemplate] = []
        for element in try json.member("reads")?.elements() ?? [] {
            reads.append(try ReadTemplate(json: element))
        }
        self.reads = reads
        amount = try json.member("amount")?.template()
        currency = try json.member("currency")?.template()
        personEmail = try json.member("personEmail")?.template()
        workItemID = try json.member("workItemID")?.template()
        outcome = try json.member("outcome")?.template()
        menuItem = try json.member("menuItem")?.string()
        if let card = json.member("card") { self.card = try CardTemplate(json: card) } else { card = .empty }
        if kind == .approval || kind == .workflowUpdate, workItemID == nil { throw json.error("\"workItemID\" is required for \"\(kind.rawValue)\" entries") }
        try checkNames(in: json)
    }

    /// Whether `event` is one of this entry's: the pattern matches its `BusinessEventId` and every condition holds.
    public func matches(_ event: BusinessEvent) -> Bool { rule.matches(event) }

    /// Read names are unique and not reserved; every template names only `event`, `legalEntity`, reads (a read only
    /// the ones before it) and, in a line list's item, `line`. A misspelt name would otherwise just never have a value.
    private func checkNames(in json: CatalogJSON) throws(CatalogError) {
        var known: Set<String> = ["event", "legalentity"]
        for (index, read) in reads.enumerated() {
            let name = read.name.lowercased()
            guard !Self.reservedNames.contains(name), !known.contains(name) else {
                throw CatalogError("read name \"\(read.name)\" is reserved or used twice", at: "\(json.path).reads[\(index)]")
            }
            try Self.check(read.templates, known: known, at: "\(json.path).reads[\(index)]")
            known.insert(name)
        }
        let entryTemplates = [title, amount, currency, personEmail, workItemID, outcome].compactMap { $0 }
        try Self.check(entryTemplates, known: known, at: json.path)
        for (template, inLineList) in card.templates {
            try Self.check([template], known: inLineList ? known.union(["line"]) : known, at: "\(json.path).card")
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
