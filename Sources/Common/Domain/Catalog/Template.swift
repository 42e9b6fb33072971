public import Core

/// A piece of text in the event catalog with placeholders filled from a `TemplateContext`:
/// `Purchase order {event.PurchaseOrderNumber} confirmed`.
///
/// - `{event.Field}` is a payload field, `{legalEntity}` the event's legal entity (lower-cased), `{name.Field}` a
///   field of the result of the read called `name`, `{line.Field}` a field of the current row in a card's line list.
///   Paths go deeper with more dots; a number picks an array element (`{lines.0.PaymentMethodName}`). Field names
///   match case-insensitively.
/// - `|sum:Field` first (it may be followed by another filter) adds up `Field` of every row of an array, exactly
///   (`{document.VendorInvoiceLine|sum:Amount|money:document.Currency}`); no rows means no value.
/// - Filters: `|money:path.To.CurrencyCode` (`48,250.75 USD`; without a code when there is no currency argument or
///   field), `|date` (`10 Dec 2025`),
///   `|int` (a quantity: `150`, `2.5`), `|dimensions` (a dimension display value split into named segments with the
///   environment's format: `BusinessUnit: 001 · Department: 022 · CostCenter: Audio`).
/// - `{{` and `}}` are literal braces.
/// - A template may have alternatives (a JSON array of strings in the catalog): the first one whose placeholders all
///   have a value is used. A value is missing when the field is absent, null or blank, or its filter cannot format
///   it; a template with no usable alternative renders as nil, and the card leaves that text out.
public struct Template: Sendable {
    enum Filter: Sendable, Equatable {
        case money(currency: [String]?)
        case date
        case int
        case dimensions
    }

    struct Placeholder: Sendable {
        let path: [String]
        /// `|sum:Field`: the path names an array whose rows' `Field` are added up before `filter` applies.
        let sum: [String]?
        let filter: Filter?
    }

    enum Piece: Sendable {
        case literal(String)
        case placeholder(Placeholder)
    }

    let alternatives: [[Piece]]

    public init(_ text: String) throws(CatalogError) {
        try self.init(alternatives: [text])
    }

    /// Alternatives, tried in order.
    public init(alternatives: [String]) throws(CatalogError) {
        try self.init(alternatives: alternatives, path: "")
    }

    init(alternatives: [String], path: String) throws(CatalogError) {
        var parsed: [[Piece]] = []
        for text in alternatives {
            do {
                parsed.append(try Self.parse(text))
            } catch {
                throw CatalogError("\(error.message) in template \"\(text)\"", at: path)
            }
        }
        self.alternatives = parsed
    }

    /// The text with raw values (for keys, emails, ids); nil when no alternative has all its values.
    public func render(in context: TemplateContext) -> String? {
        render(in: context, escaped: false)
    }

    /// The raw value when the chosen alternative is a single unfiltered placeholder (a number keeps its exact text,
    /// a collection stays an array), otherwise the rendered text as a string.
    public func value(in context: TemplateContext) -> JSONValue? {
        for pieces in alternatives {
            if pieces.count == 1, case .placeholder(let placeholder) = pieces[0], placeholder.filter == nil {
                if let value = Self.value(of: placeholder, in: context) { return value }
            } else if let text = Self.render(pieces, in: context, escaped: false) {
                return .string(text)
            }
        }
        return nil
    }

    /// With `escaped`, every substituted value is escaped for Slack; literal text is the catalog's own and kept.
    func render(in context: TemplateContext, escaped: Bool) -> String? {
        for pieces in alternatives {
            if let text = Self.render(pieces, in: context, escaped: escaped) { return text }
        }
        return nil
    }

    /// The lower-cased names the placeholders start from (`event`, `legalentity`, read names, `line`).
    var roots: Set<String> {
        var names = Set<String>()
        for case .placeholder(let placeholder) in alternatives.joined() {
            names.insert(placeholder.path[0].lowercased())
            if case .money(let currency?) = placeholder.filter { names.insert(currency[0].lowercased()) }
        }
        return names
    }

    /// Every path the placeholders name, a `|money:` currency argument included (`["order", "CurrencyCode"]`).
    var paths: [[String]] {
        var paths: [[String]] = []
        for case .placeholder(let placeholder) in alternatives.joined() {
            paths.append(placeholder.path)
            if case .money(let currency?) = placeholder.filter { paths.append(currency) }
        }
        return paths
    }

    // MARK: Rendering

    private static func render(_ pieces: [Piece], in context: TemplateContext, escaped: Bool) -> String? {
        var text = ""
        for piece in pieces {
            switch piece {
            case .literal(let literal):
                text += literal
            case .placeholder(let placeholder):
                guard let value = format(placeholder, in: context) else { return nil }
                text += escaped ? SlackText.escape(value) : value
            }
        }
        return text.trimmingCharacters().isEmpty ? nil : text
    }

    /// The placeholder's value before its formatting filter: the path's value, or the sum over its rows.
    private static func value(of placeholder: Placeholder, in context: TemplateContext) -> JSONValue? {
        guard let value = context.value(at: placeholder.path) else { return nil }
        guard let field = placeholder.sum else { return value }
        guard let rows = value.arrayValue, !rows.isEmpty else { return nil }
        var addends: [String] = []
        for row in rows {
            var current: JSONValue? = row
            for segment in field { current = current?.objectValue?.value(forCaseInsensitiveKey: segment) }
            switch current {
            case .number(let text)?, .string(let text)?: addends.append(text)
            default: return nil
            }
        }
        return DecimalText.sum(addends).map(JSONValue.number)
    }

    private static func format(_ placeholder: Placeholder, in context: TemplateContext) -> String? {
        guard let value = value(of: placeholder, in: context) else { return nil }
        let text: String? = switch placeholder.filter {
        case nil: plainText(value)
        case .money(let currencyPath):
            MoneyFormatter.format(value, currency: currencyPath.flatMap { context.value(at: $0) }.flatMap(plainText))
        case .date: value.stringValue.flatMap(DateDisplay.format)
        case .int: MoneyFormatter.formatNumber(value)
        case .dimensions: value.stringValue.map(context.dimensionDisplay)
        }
        guard let text, !text.trimmingCharacters().isEmpty else { return nil }
        return text
    }

    private static func plainText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text), .number(let text): text
        case .bool(let flag): flag ? "Yes" : "No"
        default: nil
        }
    }

    // MARK: Parsing

    private static func parse(_ text: String) throws(CatalogError) -> [Piece] {
        var pieces: [Piece] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            let doubled = next < text.endIndex && text[next] == character
            switch character {
            case "{" where doubled, "}" where doubled:
                literal.append(character)
                index = text.index(after: next)
            case "{":
                guard let close = text[next...].firstIndex(of: "}") else { throw CatalogError("unclosed \"{\"", at: "") }
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(.placeholder(try parsePlaceholder(text[next..<close])))
                index = text.index(after: close)
            case "}":
                throw CatalogError("unmatched \"}\" (write \"}}\" for a brace)", at: "")
            default:
                literal.append(character)
                index = next
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }

    private static func parsePlaceholder(_ text: Substring) throws(CatalogError) -> Placeholder {
        var parts = text.split(separator: "|", omittingEmptySubsequences: false)
        let path = try parsePath(parts.removeFirst())
        var sum: [String]?
        if let first = parts.first, first.trimmingCharacters().lowercased().hasPrefix("sum:") {
            sum = try parsePath(first.trimmingCharacters().dropFirst(4))
            parts.removeFirst()
        }
        guard parts.count <= 1 else { throw CatalogError("one filter per placeholder, after an optional |sum:Field", at: "") }
        guard let filterText = parts.first else { return Placeholder(path: path, sum: sum, filter: nil) }
        let filterParts = filterText.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = filterParts[0].trimmingCharacters().lowercased()
        let argument = filterParts.count > 1 ? try parsePath(filterParts[1]) : nil
        let filter: Filter
        switch name {
        case "money": filter = .money(currency: argument)
        case "date": filter = .date
        case "int": filter = .int
        case "dimensions": filter = .dimensions
        default: throw CatalogError("unknown filter \"\(name)\" (sum, money, date, int, dimensions)", at: "")
        }
        if argument != nil, name != "money" { throw CatalogError("filter \"\(name)\" takes no argument", at: "") }
        return Placeholder(path: path, sum: sum, filter: filter)
    }

    private static func parsePath(_ text: Substring) throws(CatalogError) -> [String] {
        let segments = text.trimmingCharacters().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard segments.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
            throw CatalogError("invalid path \"\(text)\"", at: "")
        }
        return segments
    }
}
