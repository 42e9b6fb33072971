public import FoundationEssentials
import Core

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
    /// When set, the route's notices wait for the next of these times and go out as one message (a channel route only).
    public let digest: DigestSchedule?

    public init(id: Int64, pattern: EventPattern, legalEntity: String?, minAmount: Decimal?, destination: Destination,
                fallbackChannel: String?, digest: DigestSchedule? = nil) {
        self.id = id
        self.pattern = pattern
        self.legalEntity = legalEntity
        self.minAmount = minAmount
        self.destination = destination
        self.fallbackChannel = fallbackChannel
        self.digest = digest
    }

    /// What is known of the document's amount when a route is matched.
    public enum Amount: Sendable {
        /// At intake, before the document is read: a minimum amount does not rule the route out yet.
        case unknownYet
        /// Once the document is read; nil when it has no amount, which no minimum accepts.
        case known(Decimal?)
    }

    /// The one route matcher: the event's id against the pattern, its legal entity (lower-cased) against the
    /// route's, and the amount against the minimum.
    public func matches(businessEventID: String, legalEntity entity: String, amount: Amount) -> Bool {
        guard pattern.matches(businessEventID), legalEntity == nil || legalEntity == entity.lowercased() else { return false }
        guard let minAmount, case .known(let value) = amount else { return true }
        return value.map { $0 >= minAmount } ?? false
    }
}

extension Array where Element == Route {
    /// The first route that takes the event (routes are evaluated in the order they were added).
    public func first(for event: BusinessEvent, amount: Route.Amount) -> Route? {
        first { $0.matches(businessEventID: event.businessEventID, legalEntity: event.legalEntity, amount: amount) }
    }
}
