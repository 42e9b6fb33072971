public import FoundationEssentials

/// Where events of a kind go (DESIGN.md §6.2). Routes are evaluated in the order they were added.
public struct Route: Sendable {
    public enum Destination: Sendable, Equatable {
        case channel(String)
        /// A direct message to the person the event names (the work item's user).
        case approver
        case email(String)
    }

    public let id: Int64
    public let pattern: EventPattern
    /// Lower-cased; nil matches every legal entity.
    public let legalEntity: String?
    public let minAmount: Decimal?
    public let destination: Destination
    public let fallbackChannel: String?

    public init(id: Int64, pattern: EventPattern, legalEntity: String?, minAmount: Decimal?, destination: Destination,
                fallbackChannel: String?) {
        self.id = id
        self.pattern = pattern
        self.legalEntity = legalEntity
        self.minAmount = minAmount
        self.destination = destination
        self.fallbackChannel = fallbackChannel
    }

    /// Whether the event's id and legal entity fit. The amount is checked once the document is read.
    public func matchesEnvelope(businessEventID: String, legalEntity entity: String) -> Bool {
        pattern.matches(businessEventID) && (legalEntity == nil || legalEntity == entity.lowercased())
    }
}
