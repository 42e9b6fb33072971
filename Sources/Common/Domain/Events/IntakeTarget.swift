import Core

/// An active connection as the intake needs it: its key hash, routes and catalog.
public struct IntakeTarget: Sendable {
    public let connectionID: Int64
    public let name: String
    public let eventKeyHash: [UInt8]
    public let routes: [Route]
    /// The catalog's rules (which events each entry takes, and its kind) with the connection's overrides; the
    /// standard rules alone if the stored overrides no longer parse (they were validated when they were set; the
    /// delivery job reports why).
    private let rules: [CatalogRule]

    /// `catalogOverrides` is the connection's stored override document (JSON text).
    public init(connectionID: Int64, name: String, eventKeyHash: [UInt8], routes: [Route], catalogOverrides: String = "{}") {
        self.connectionID = connectionID
        self.name = name
        self.eventKeyHash = eventKeyHash
        self.routes = routes
        let overrides = catalogOverrides == "{}" ? nil : try? JSONParser.parse(Array(catalogOverrides.utf8))
        rules = (try? CatalogRule.rules(overriddenBy: overrides)) ?? (try? CatalogRule.rules(overriddenBy: nil)) ?? []
    }

    /// What the intake queues for an event, from the catalog only: a workflow update needs no route, an ignored
    /// kind gets nothing, anything else is delivered when a route takes it (the amount is checked once the
    /// document is read). Nil: stored and not queued.
    public func job(for event: BusinessEvent) -> JobKind? {
        switch rules.first(where: { $0.matches(event) })?.kind {
        case .workflowUpdate: .workflowEvent
        case .ignore: nil
        case .notice, .approval, nil: routes.first(for: event, amount: .unknownYet) == nil ? nil : .deliverEvent
        }
    }
}
