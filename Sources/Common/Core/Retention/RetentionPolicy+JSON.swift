/// The policy as `ml-connector retention --json` and `ml-connector status --json` show it.
extension RetentionPolicy {
    /// One kind: `{"kind":"audit","days":400,"kept_for":"400d","default_days":400,"overridden":false,"covers":"…"}`.
    public func json(_ kind: Kind) -> JSONObject {
        var object = JSONObject()
        object["kind"] = .string(kind.rawValue)
        object["days"] = .number(String(days(kind)))
        object["kept_for"] = .string(Self.format(days: days(kind)))
        object["default_days"] = .number(String(kind.defaultDays))
        object["overridden"] = .bool(isOverridden(kind))
        object["covers"] = .string(kind.summary)
        return object
    }

    /// Every kind, in `Kind.allCases` order: `[{"kind":"audit",…}, …]`.
    public var json: JSONValue { .array(Kind.allCases.map { .object(json($0)) }) }
}
