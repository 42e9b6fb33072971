import Core
import Domain
import Outbound
import Interactions

/// A `$filter` of the form the connector sends: `Field eq <literal>` terms joined by `and`.
struct ODataFilter: Sendable {
    struct Failure: Error {
        let reason: String
    }

    let terms: [(field: String, value: ODataLiteral)]

    static func parse(_ text: String) throws(Failure) -> ODataFilter {
        var rest = Substring(text).drop { $0 == " " }
        var terms: [(field: String, value: ODataLiteral)] = []
        while true {
            let field = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !field.isEmpty else { throw Failure(reason: "a property name was expected at '\(rest)'") }
            rest = rest[field.endIndex...].drop { $0 == " " }
            let op = rest.prefix { $0 != " " }
            guard op == "eq" else {
                throw Failure(reason: "the operator '\(op)' is not supported by the sandbox (only 'eq' joined by 'and')")
            }
            rest = rest[op.endIndex...].drop { $0 == " " }
            do throws(ODataLiteral.Failure) {
                let parsed = try ODataLiteral.parse(prefixOf: rest)
                terms.append((String(field), parsed.literal))
                rest = parsed.rest.drop { $0 == " " }
            } catch {
                throw Failure(reason: error.reason)
            }
            if rest.isEmpty { return ODataFilter(terms: terms) }
            guard rest.hasPrefix("and ") else { throw Failure(reason: "'and' was expected at '\(rest)'") }
            rest = rest.dropFirst(4).drop { $0 == " " }
        }
    }

    func matches(_ record: JSONObject) -> Bool {
        terms.allSatisfy { term in record[term.field].map(term.value.matches) ?? false }
    }
}
