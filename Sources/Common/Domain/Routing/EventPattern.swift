import Core

/// A `BusinessEventId` pattern where `*` matches any run of characters (`Workflow_*_WorkItem`). Matching is
/// case-insensitive.
public struct EventPattern: Sendable, Equatable {
    public let text: String
    private let parts: [String]

    public init(_ text: String) {
        self.text = text
        parts = text.lowercased().split(separator: "*", omittingEmptySubsequences: false).map(String.init)
    }

    public func matches(_ businessEventID: String) -> Bool {
        let id = businessEventID.lowercased()
        guard parts.count > 1 else { return id == parts[0] }
        guard id.hasPrefix(parts[0]), id.hasSuffix(parts[parts.count - 1]),
              id.count >= parts[0].count + parts[parts.count - 1].count
        else { return false }
        var rest = Substring(id.dropFirst(parts[0].count).dropLast(parts[parts.count - 1].count))
        for middle in parts.dropFirst().dropLast() where !middle.isEmpty {
            guard let range = rest.firstRange(of: middle) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }
}
