public import Core

/// The part of a catalog entry that says which events it takes and what kind it is: all the intake needs to
/// decide what to queue, read without the reads, templates and card (which cost more to parse than the request
/// itself). `CatalogEntry` reads its own with the same code.
public struct CatalogRule: Sendable {
    public let id: String
    /// The `BusinessEventId` pattern (`*` is a wildcard, case-insensitive).
    public let pattern: EventPattern
    /// Payload fields that must equal these values (names and values compared case-insensitively).
    public let conditions: [(field: String, value: String)]
    public let kind: CatalogEntry.Kind

    init(json: CatalogJSON) throws(CatalogError) {
        id = try json.required("id").string()
        pattern = EventPattern(try json.required("event").string())
        var conditions: [(field: String, value: String)] = []
        for (field, value) in try json.member("when")?.members() ?? [] {
            conditions.append((field, try value.string()))
        }
        self.conditions = conditions
        let kindText = try json.required("kind").string()
        guard let kind = CatalogEntry.Kind(rawValue: kindText) else {
            throw json.error("\"kind\" is \"notice\", \"approval\", \"workflowUpdate\" or \"ignore\", not \"\(kindText)\"")
        }
        self.kind = kind
    }

    /// Whether `event` is one of this entry's: the pattern matches its `BusinessEventId` and every condition holds.
    public func matches(_ event: BusinessEvent) -> Bool {
        guard pattern.matches(event.businessEventID) else { return false }
        return conditions.allSatisfy { condition in
            let actual: String? = switch event.field(condition.field) {
            case .string(let text), .number(let text): text
            case .bool(let flag): flag ? "true" : "false"
            default: nil
            }
            return actual?.trimmingCharacters().lowercased() == condition.value.trimmingCharacters().lowercased()
        }
    }

    /// The rules of a catalog document, in order, with a connection's overrides merged as `EventCatalog` merges
    /// its entries (`overridden(by:)`). Only the rules' own members are read.
    public static func rules(overriddenBy overrides: JSONValue?) throws(CatalogError) -> [CatalogRule] {
        let standard = try EventCatalog.entryDocuments(EventCatalog.standardJSON).map { json throws(CatalogError) in
            try CatalogRule(json: json)
        }
        guard let overrides, overrides != .null else { return standard }
        let own = try EventCatalog.entryDocuments(overrides).map { json throws(CatalogError) in try CatalogRule(json: json) }
        return EventCatalog.merge(standard, overriddenBy: own, id: \.id)
    }
}
