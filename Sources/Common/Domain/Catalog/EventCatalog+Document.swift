public import Core

extension EventCatalog {
    /// A connection's effective catalog as one complete document in the catalog's own format (what
    /// `ml-connector catalog show --json` prints, and what `connection catalog --file` takes back): the standard
    /// document with the overrides merged by the rule of `overridden(by:)` — entries with a known id replaced in place,
    /// new ones first, `dimensionFormats`, `workflowActions` and `reminders` replaced. The overrides are validated the same way.
    public static func effectiveDocument(overriddenBy overrides: JSONValue?) throws(CatalogError) -> JSONValue {
        _ = try standard.overridden(by: overrides)
        guard let overrides, overrides != .null, let own = overrides.objectValue, var document = standardJSON.objectValue else {
            return standardJSON
        }
        for member in ["dimensionFormats", "workflowActions", "reminders"] {
            if let value = own[member] { document[member] = value }
        }
        let entries = merge(try entryDocuments(standardJSON).map(\.value), overriddenBy: try entryDocuments(overrides).map(\.value),
                            id: { $0["id"]?.stringValue ?? "" })
        document["entries"] = .array(entries)
        return .object(document)
    }
}
