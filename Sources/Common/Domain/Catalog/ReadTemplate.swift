public import Core

/// One OData read of a catalog entry, resolved against a `TemplateContext` into an `ODataQuery`.
///
/// A read is keyed (`"key"`: every key field named, one entity), or filtered (`"filter"`: `eq` terms joined with
/// `and`), taking the first row (`"rows": "first"`, the default) or all rows (`"rows": "all"`, a collection the
/// job pages through with `@odata.nextLink`). Key and filter values are templates; a plain string is an OData
/// string literal, `{"guid": …}`, `{"number": …}` and `{"enum": "Type", "symbol": …}` give the other kinds.
public struct ReadTemplate: Sendable {
    /// What the read's result is: one entity (keyed read), the first row of a filtered read, or all its rows.
    public enum Shape: Sendable {
        case entity
        case firstRow
        case allRows
    }

    enum Literal: Sendable {
        case string(Template)
        case number(Template)
        case guid(Template)
        case enumeration(type: String, symbol: Template)
    }

    /// The name templates use for the result (`order` in `{order.PurchaseOrderNumber}`).
    public let name: String
    public let entitySet: String
    public let expand: String?
    /// `$select`: the fields the entry's templates use from this read (empty: all), see `CatalogEntry.fields`.
    public private(set) var select: [String] = []
    /// `cross-company=true`; on by default, as every company-specific read needs it (DESIGN.md §7).
    public let crossCompany: Bool
    public let shape: Shape
    /// When an optional read cannot be made (a key value is missing) or finds nothing, the card is rendered without it.
    public let optional: Bool
    let key: [(name: String, value: Literal)]
    let filter: [(name: String, value: Literal)]

    private static let members: Set<String> = ["name", "entitySet", "key", "filter", "expand", "crossCompany", "rows", "optional"]

    init(json: CatalogJSON, defaultName: String? = nil) throws(CatalogError) {
        let json = try json.object(allowing: Self.members)
        if let name = try json.member("name")?.string() {
            self.name = name
        } else if let defaultName {
            name = defaultName
        } else {
            throw json.error("missing \"name\"")
        }
        entitySet = try Self.identifier(json.required("entitySet"))
        key = try Self.terms(json.member("key"))
        filter = try Self.terms(json.member("filter"))
        expand = try json.member("expand")?.string()
        crossCompany = try json.member("crossCompany")?.bool() ?? true
        optional = try json.member("optional")?.bool() ?? false
        if !key.isEmpty, !filter.isEmpty { throw json.error("a read has a \"key\" or a \"filter\", not both") }
        switch (key.isEmpty, try json.member("rows")?.string()) {
        case (false, nil): shape = .entity
        case (false, _?): throw json.error("\"rows\" is for filtered reads; a keyed read returns one entity")
        case (true, nil), (true, "first"?): shape = .firstRow
        case (true, "all"?): shape = .allRows
        case (true, let rows?): throw json.error("\"rows\" is \"first\" or \"all\", not \"\(rows)\"")
        }
    }

    /// The query for this context; nil when a key or filter value is missing or malformed (a GUID that is not one).
    public func query(in context: TemplateContext) -> ODataQuery? {
        var keyValues: [(name: String, value: ODataValue)] = []
        for term in key {
            guard let value = Self.resolve(term.value, in: context) else { return nil }
            keyValues.append((term.name, value))
        }
        var filterValues: [(name: String, value: ODataValue)] = []
        for term in filter {
            guard let value = Self.resolve(term.value, in: context) else { return nil }
            filterValues.append((term.name, value))
        }
        return ODataQuery(entitySet: entitySet, key: keyValues, filter: filterValues, expand: expand, select: select,
                          crossCompany: crossCompany)
    }

    /// This read asking only for `fields`.
    func selecting(_ fields: [String]) -> ReadTemplate {
        var read = self
        read.select = fields
        return read
    }

    /// The result to store in the context from a response body: the entity itself, the first row of `value`, or
    /// `value` as an array (the job joins the pages). Nil when there is no entity or no row.
    public func result(from body: JSONValue) -> JSONValue? {
        switch shape {
        case .entity: body.objectValue == nil ? nil : body
        case .firstRow: body.value(forCaseInsensitiveKey: "value")?.arrayValue?.first
        case .allRows: body.value(forCaseInsensitiveKey: "value")?.arrayValue.map(JSONValue.array)
        }
    }

    var templates: [Template] {
        (key + filter).map { term in
            switch term.value {
            case .string(let template), .number(let template), .guid(let template), .enumeration(_, let template): template
            }
        }
    }

    // MARK: Resolving

    private static func resolve(_ literal: Literal, in context: TemplateContext) -> ODataValue? {
        switch literal {
        case .string(let template):
            return template.render(in: context).map(ODataValue.string)
        case .number(let template):
            guard let text = template.render(in: context)?.trimmingCharacters(), JSONValue.number(text).decimalValue != nil else {
                return nil
            }
            return .number(text)
        case .guid(let template):
            return template.render(in: context).flatMap(ODataValue.guid(parsing:))
        case .enumeration(let type, let template):
            return template.render(in: context).map { .enumeration(type: type, symbol: $0) }
        }
    }

    // MARK: Parsing

    private static func terms(_ json: CatalogJSON?) throws(CatalogError) -> [(name: String, value: Literal)] {
        guard let json else { return [] }
        var terms: [(name: String, value: Literal)] = []
        for (field, value) in try json.members() {
            guard isIdentifier(field) else { throw json.error("\"\(field)\" is not a field name") }
            terms.append((field, try literal(value)))
        }
        return terms
    }

    private static func literal(_ json: CatalogJSON) throws(CatalogError) -> Literal {
        guard let members = json.value.objectValue?.keys else { return .string(try json.template()) }
        let object = try json.object(allowing: ["string", "number", "guid", "enum", "symbol"])
        switch Set(members) {
        case ["string"]: return .string(try object.required("string").template())
        case ["number"]: return .number(try object.required("number").template())
        case ["guid"]: return .guid(try object.required("guid").template())
        case ["enum", "symbol"]:
            return .enumeration(type: try identifier(object.required("enum")), symbol: try object.required("symbol").template())
        default:
            throw json.error(
                "expected a template, or {\"string\"|\"number\"|\"guid\": template}, or {\"enum\": type, \"symbol\": template}")
        }
    }

    private static func identifier(_ json: CatalogJSON) throws(CatalogError) -> String {
        let text = try json.string()
        guard isIdentifier(text) else { throw json.error("\"\(text)\" is not an OData name") }
        return text
    }

    /// Letters, digits and `_`, not starting with a digit: field names go into URLs as they are.
    private static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, !first.isASCIIDigit else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
