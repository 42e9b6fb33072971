public import Core

extension CatalogCheck {
    /// `N names checked, M missing` (also when none is).
    public var summary: String { "\(checked) names checked, \(missing.count) missing" }

    /// One line per missing name: what, where it was looked for, where it is used, what is close.
    public var lines: [String] { missing.map(\.line) }

    /// `{"ok":bool,"checked":N,"missing":[{"kind","name","entitySet","scope","usedBy","closest","note"}]}`.
    public var json: JSONValue {
        .object(["ok": .bool(ok), "checked": .number(String(checked)), "missing": .array(missing.map(\.json))])
    }
}

extension CatalogCheck.Missing {
    /// `missing property InvoiceAmount of VendorInvoiceHeader (VendorInvoiceHeaders), used by …; closest: …`.
    public var line: String {
        var text = "missing \(kind.rawValue) \(name)"
        switch (scope, entitySet) {
        case (let scope?, let set?) where kind != .entitySet: text += " of \(scope) (\(set))"
        case (let scope?, _): text += " of \(scope)"
        default: break
        }
        if let note { text += ": \(note)" }
        text += ", used by " + usedBy.joined(separator: ", ")
        text += closest.isEmpty ? "; no close name" : "; closest: " + closest.joined(separator: ", ")
        return text
    }

    public var json: JSONValue {
        var object: JSONObject = ["kind": .string(kind.rawValue), "name": .string(name)]
        object["entitySet"] = entitySet.map(JSONValue.string) ?? .null
        object["scope"] = scope.map(JSONValue.string) ?? .null
        object["usedBy"] = .string(usedBy.joined(separator: ", "))
        object["uses"] = .array(usedBy.map(JSONValue.string))
        object["closest"] = .array(closest.map(JSONValue.string))
        if let note { object["note"] = .string(note) }
        return .object(object)
    }
}
