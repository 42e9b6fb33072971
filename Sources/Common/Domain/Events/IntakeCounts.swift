public import Core

/// What one delivery to `handle-business-event` did, as answered (DESIGN.md §5.1).
public struct IntakeCounts: Sendable, Equatable {
    public var accepted = 0
    public var duplicates = 0
    public var ignored = 0

    public init(accepted: Int = 0, duplicates: Int = 0, ignored: Int = 0) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.ignored = ignored
    }

    /// Whether anything was newly stored (202) rather than only duplicates or test events (200).
    public var storedAny: Bool { accepted + ignored > 0 }

    public var json: JSONValue {
        ["accepted": .number(String(accepted)), "duplicates": .number(String(duplicates)),
         "ignored": .number(String(ignored))]
    }
}
