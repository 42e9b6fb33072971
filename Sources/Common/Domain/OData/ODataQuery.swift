import Core

/// A literal in an OData key or `$filter` (DESIGN.md §7: full named keys, quotes doubled then percent-encoded,
/// enums in `Microsoft.Dynamics.DataEntities.Type'Value'` form).
public enum ODataValue: Sendable, Equatable {
    case string(String)
    /// A number as its exact decimal text.
    case number(String)
    /// An `Edm.Guid`, written unquoted.
    case guid(String)
    /// An enum symbol, e.g. `.enumeration(type: "NoYes", symbol: "Yes")`.
    case enumeration(type: String, symbol: String)

    /// An `Edm.Guid` from text: `8-4-4-4-12` hex digits, braces (as in `InitiatingUserAADObjectId`) removed; nil
    /// for anything else, so a key can never carry more than a GUID.
    public static func guid(parsing text: String) -> ODataValue? {
        var text = text.trimmingCharacters()
        if text.hasPrefix("{"), text.hasSuffix("}") { text = String(text.dropFirst().dropLast()) }
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12], groups.allSatisfy({ $0.allSatisfy(\.isHexDigit) }) else { return nil }
        return .guid(text)
    }

    /// The literal as it appears in a URL, percent-encoded.
    public var urlLiteral: String {
        switch self {
        case .string(let text):
            return "'" + FormURLEncoding.percentEncode(text.replacing("'", with: "''")) + "'"
        case .number(let text), .guid(let text):
            return FormURLEncoding.percentEncode(text)
        case .enumeration(let type, let symbol):
            return "Microsoft.Dynamics.DataEntities." + FormURLEncoding.percentEncode(type) + "'"
                + FormURLEncoding.percentEncode(symbol.replacing("'", with: "''")) + "'"
        }
    }
}

/// One OData read: an entity addressed by its full key, or a collection filtered with `eq` terms.
public struct ODataQuery: Sendable, Equatable {
    public var entitySet: String
    /// Every key field, named, in order; empty for a collection read.
    public var key: [(name: String, value: ODataValue)]
    /// `Field eq value` terms joined with `and`.
    public var filter: [(name: String, value: ODataValue)]
    public var expand: String?
    /// `$select`: the properties to return; empty returns them all.
    public var select: [String]
    /// Company-specific reads send `cross-company=true` (DESIGN.md §7).
    public var crossCompany: Bool

    public init(entitySet: String, key: [(name: String, value: ODataValue)] = [], filter: [(name: String, value: ODataValue)] = [],
                expand: String? = nil, select: [String] = [], crossCompany: Bool = true) {
        self.entitySet = entitySet
        self.select = select
        self.key = key
        self.filter = filter
        self.expand = expand
        self.crossCompany = crossCompany
    }

    /// The path and query below `{dynamics-url}/data/`.
    public var relativeURL: String {
        var path = FormURLEncoding.percentEncode(entitySet)
        if !key.isEmpty {
            path += "(" + key.map { "\($0.name)=\($0.value.urlLiteral)" }.joined(separator: ",") + ")"
        }
        var options: [String] = []
        if !filter.isEmpty {
            options.append("$filter=" + filter.map { "\($0.name)%20eq%20\($0.value.urlLiteral)" }.joined(separator: "%20and%20"))
        }
        if !select.isEmpty { options.append("$select=" + select.map(FormURLEncoding.percentEncode).joined(separator: ",")) }
        if let expand { options.append("$expand=" + FormURLEncoding.percentEncode(expand)) }
        if crossCompany { options.append("cross-company=true") }
        return options.isEmpty ? path : path + "?" + options.joined(separator: "&")
    }

    public static func == (lhs: ODataQuery, rhs: ODataQuery) -> Bool { lhs.relativeURL == rhs.relativeURL }
}
