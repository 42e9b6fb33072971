/// Splits an OData resource segment such as `VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-104')` (already
/// percent-decoded) into the entity set name and its named key values.
enum ODataKeyParser {
    struct Segment: Sendable {
        let setName: String
        /// `nil` for a bare collection segment such as `VendorsV2`.
        let key: [(field: String, value: ODataLiteral)]?
    }

    /// The key is positional (`VendorsV2('US-104')`) or otherwise not `name=literal,…`.
    struct Failure: Error {
        let reason: String
    }

    static func parse(_ segment: String) throws(Failure) -> Segment {
        guard let open = segment.firstIndex(of: "(") else { return Segment(setName: segment, key: nil) }
        guard segment.last == ")" else { throw Failure(reason: "the key segment is not closed by ')'") }
        let setName = String(segment[..<open])
        var rest = segment[segment.index(after: open)..<segment.index(before: segment.endIndex)]
        var key: [(field: String, value: ODataLiteral)] = []
        while !rest.isEmpty {
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !name.isEmpty, rest[name.endIndex...].first == "=" else {
                throw Failure(reason: "the key of '\(setName)' must name every key field (Field=value)")
            }
            let valueText = rest[rest.index(after: name.endIndex)...]
            let parsed: (literal: ODataLiteral, rest: Substring)
            do throws(ODataLiteral.Failure) {
                parsed = try ODataLiteral.parse(prefixOf: valueText)
            } catch {
                throw Failure(reason: "key field '\(name)': \(error.reason)")
            }
            key.append((String(name), parsed.literal))
            rest = parsed.rest
            if rest.first == "," {
                rest = rest.dropFirst()
                guard !rest.isEmpty else { throw Failure(reason: "a key field is missing after ','") }
            } else if !rest.isEmpty {
                throw Failure(reason: "unexpected '\(rest)' in the key")
            }
        }
        return Segment(setName: setName, key: key)
    }
}
