import Core
import Domain
import Outbound

/// The environment's financial dimension formats (`DimensionIntegrationFormats`), read once a day per connection.
struct DimensionFormatCache {
    let formats: DimensionFormatStore
    let dynamics: DynamicsClient
    /// The catalog's read for `DimensionIntegrationFormats`.
    let read: ReadTemplate

    /// The active default-dimension format, or nil when the environment has none.
    func defaultFormat() throws -> DimensionFormat? {
        if let cached = try formats.cachedDefaultFormat() { return cached.map(DimensionFormat.init) }
        guard let query = read.query(in: TemplateContext(payload: JSONObject(), legalEntity: "")) else { return nil }
        let rows = JSONValue.array(try dynamics.collection(query))
        let defaultFormat = DimensionFormat.active(.defaultDimension, in: rows)
        let ledgerFormat = DimensionFormat.active(.ledgerDimension, in: rows)
        try formats.store(defaultFormat: defaultFormat?.text, ledgerFormat: ledgerFormat?.text)
        return defaultFormat
    }
}
