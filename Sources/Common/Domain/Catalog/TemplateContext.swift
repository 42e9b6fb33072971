public import Core

/// What templates read from: the event's payload, its legal entity and the result of each catalog read by name.
///
/// The job fills it in read order (`context[result: read.name] = read.result(from: body)`), so a read may use the
/// results of earlier ones (`{document.InvoiceAccount}`).
public struct TemplateContext: Sendable {
    /// The business event's payload.
    public let event: JSONObject
    /// `BusinessEventLegalEntity` (or `LegalEntity`), lower-cased; F&O's `dataAreaId`.
    public let legalEntity: String
    private var results: [String: JSONValue] = [:]
    /// Set by the card renderer for `|dimensions`.
    var dimensionFormat: DimensionFormat?

    public init(event: BusinessEvent) {
        self.init(payload: event.payload, legalEntity: event.legalEntity)
    }

    public init(payload: JSONObject, legalEntity: String) {
        event = payload
        self.legalEntity = legalEntity.lowercased()
    }

    /// A read's result (an entity, a row, or an array of rows for a collection read), by case-insensitive name.
    public subscript(result name: String) -> JSONValue? {
        get { results[name.lowercased()] }
        set { results[name.lowercased()] = newValue }
    }

    /// The value at a template path; nil when any step is missing, null, or a blank string.
    func value(at path: [String]) -> JSONValue? {
        let root = path[0].lowercased()
        var current: JSONValue? = switch root {
        case "event": .object(event)
        case "legalentity": legalEntity.isEmpty ? nil : .string(legalEntity)
        default: results[root]
        }
        for segment in path.dropFirst() {
            switch current {
            case .object(let object): current = object.value(forCaseInsensitiveKey: segment)
            case .array(let rows): current = Int(segment).flatMap { rows.indices.contains($0) ? rows[$0] : nil }
            default: return nil
            }
        }
        switch current {
        case nil, .null: return nil
        case .string(let text) where text.trimmingCharacters().isEmpty: return nil
        default: return current
        }
    }

    /// A dimension display value split into `Name: value` segments joined by ` · `, or as is without a format.
    func dimensionDisplay(_ displayValue: String) -> String {
        guard let dimensionFormat else { return displayValue }
        return dimensionFormat.split(displayValue).map { "\($0.name): \($0.value)" }.joined(separator: " · ")
    }
}
