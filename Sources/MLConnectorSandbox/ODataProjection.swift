import Core
import Domain
import Outbound
import Interactions

/// What a read returns of each record: the properties `$select` names (all when absent, `@odata.etag` always) and
/// the navigation properties `$expand` names, each with an optional nested `$select` (`Nav($select=A,B)`).
struct ODataProjection: Sendable {
    struct Expansion: Sendable {
        let navigation: EntitySet.Navigation
        let select: [String]?
    }

    let select: [String]?
    let expansions: [Expansion]

    /// Parses `$select` and `$expand` for `set`; an unknown name is F&O's 400.
    init(select: String?, expand: String?, of set: EntitySet) throws(ODataError.Failure) {
        self.select = try select.map { text throws(ODataError.Failure) in try Self.names(text, of: set) }
        guard let expand else {
            expansions = []
            return
        }
        expansions = try Self.splitTopLevel(expand, on: ",").map { item throws(ODataError.Failure) in
            let name = item.prefix { $0 != "(" }.trimmingCharacters()
            guard let navigation = set.navigation(named: name) else {
                throw ODataError.Failure(response: ODataError.unknownProperty(name, on: set))
            }
            let options = item.dropFirst(name.count).trimmingCharacters()
            guard !options.isEmpty else { return Expansion(navigation: navigation, select: nil) }
            guard options.hasPrefix("("), options.hasSuffix(")"), let target = EntityModel.fo.set(named: navigation.targetSet) else {
                throw ODataError.Failure(response: ODataError.badRequest("The $expand item '\(item)' is not valid."))
            }
            var nested: [String]?
            for option in Self.splitTopLevel(String(options.dropFirst().dropLast()), on: ";") {
                let parts = option.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters() }
                guard parts.count == 2, parts[0] == "$select" else {
                    throw ODataError.Failure(response: ODataError.badRequest(
                        "The query option '\(option)' inside $expand is not supported by the sandbox (only $select)."))
                }
                nested = try Self.names(parts[1], of: target)
            }
            return Expansion(navigation: navigation, select: nested)
        }
    }

    /// `record` as a read answers it.
    func render(_ record: JSONObject, store: EntityStore) -> JSONObject {
        var rendered = Self.selecting(select, of: record)
        for expansion in expansions {
            let related = store.related(record, through: expansion.navigation).map { JSONValue.object(Self.selecting(expansion.select, of: $0)) }
            rendered[expansion.navigation.name] = expansion.navigation.isCollection ? .array(related) : related.first ?? .null
        }
        return rendered
    }

    private static func selecting(_ select: [String]?, of record: JSONObject) -> JSONObject {
        guard let select else { return record }
        return JSONObject(record.members.filter { $0.key == "@odata.etag" || select.contains($0.key) })
    }

    /// The comma-separated names of a `$select`: properties (or navigation properties) of `set`.
    private static func names(_ text: String, of set: EntitySet) throws(ODataError.Failure) -> [String] {
        try text.split(separator: ",").map { part throws(ODataError.Failure) in
            let name = part.trimmingCharacters()
            guard set.property(named: name) != nil || set.navigation(named: name) != nil else {
                throw ODataError.Failure(response: ODataError.unknownProperty(name, on: set))
            }
            return name
        }
    }

    /// `text` split at `separator` outside parentheses.
    private static func splitTopLevel(_ text: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == separator && depth == 0 {
                parts.append(current)
                current = ""
                continue
            }
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            current.append(character)
        }
        parts.append(current)
        return parts
    }
}
