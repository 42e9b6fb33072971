import Core

/// A member of an event catalog document being read, with its place in the document for error messages.
/// Objects are read strictly: a member the format does not know is an error, so a misspelt override fails loudly.
struct CatalogJSON {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    func error(_ message: String) -> CatalogError { CatalogError(message, at: path) }

    /// Checks that this is an object with only `allowed` members.
    func object(allowing allowed: Set<String>) throws(CatalogError) -> CatalogJSON {
        guard let object = value.objectValue else { throw error("expected an object") }
        if let unknown = object.keys.first(where: { !allowed.contains($0) }) { throw error("unknown member \"\(unknown)\"") }
        return self
    }

    func member(_ key: String) -> CatalogJSON? {
        value.objectValue?[key].map { CatalogJSON($0, path: path.isEmpty ? key : "\(path).\(key)") }
    }

    func required(_ key: String) throws(CatalogError) -> CatalogJSON {
        guard let member = member(key) else { throw error("missing \"\(key)\"") }
        return member
    }

    func string() throws(CatalogError) -> String {
        guard let text = value.stringValue, !text.trimmingCharacters().isEmpty else { throw error("expected a non-empty string") }
        return text
    }

    func bool() throws(CatalogError) -> Bool {
        guard let flag = value.boolValue else { throw error("expected true or false") }
        return flag
    }

    func positiveInt() throws(CatalogError) -> Int {
        guard let number = value.int64Value, case .number = value, number > 0, number <= Int64(Int32.max) else {
            throw error("expected a positive whole number")
        }
        return Int(number)
    }

    func elements() throws(CatalogError) -> [CatalogJSON] {
        guard let array = value.arrayValue else { throw error("expected an array") }
        return array.enumerated().map { CatalogJSON($1, path: "\(path)[\($0)]") }
    }

    /// The members of an object in order.
    func members() throws(CatalogError) -> [(key: String, value: CatalogJSON)] {
        guard let object = value.objectValue else { throw error("expected an object") }
        return object.map { (key: $0.key, value: CatalogJSON($0.value, path: "\(path).\($0.key)")) }
    }

    /// A template: one string, or an array of alternatives.
    func template() throws(CatalogError) -> Template {
        if let array = value.arrayValue {
            guard !array.isEmpty else { throw error("expected at least one template") }
            var alternatives: [String] = []
            for element in try elements() { alternatives.append(try element.string()) }
            return try Template(alternatives: alternatives, path: path)
        }
        return try Template(alternatives: [try string()], path: path)
    }
}
