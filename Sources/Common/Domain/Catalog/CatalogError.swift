import Core

/// Why an event catalog document (the standard one or a connection's overrides) was refused. The message names the
/// place in the document, e.g. `entries[2].reads[0]: missing "entitySet"`; catalogs hold no secrets.
public struct CatalogError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String

    init(_ message: String, at path: String) {
        self.message = path.isEmpty ? message : "\(path): \(message)"
    }

    public var description: String { message }
}
