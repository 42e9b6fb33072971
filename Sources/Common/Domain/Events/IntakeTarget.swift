import Core

/// An active connection as the intake needs it: its key hash, routes and catalog.
public struct IntakeTarget: Sendable {
    public let connectionID: Int64
    public let name: String
    public let eventKeyHash: [UInt8]
    public let routes: [Route]
    /// The standard catalog with the connection's overrides; the standard one alone if the stored overrides no
    /// longer parse (they were validated when they were set; the delivery job reports why).
    private let catalog: EventCatalog

    /// `catalogOverrides` is the connection's stored override document (JSON text).
    public init(connectionID: Int64, name: String, eventKeyHash: [UInt8], routes: [Route], catalogOverrides: String = "{}") {
        self.connectionID = connectionID
        self.name = name
        self.eventKeyHash = eventKeyHash
        self.routes = routes
        if catalogOverrides != "{}", let overrides = try? JSONParser.parse(Array(catalogOverrides.utf8)),
           let catalog = try? EventCatalog.standard.overridden(by: overrides) {
            self.catalog = catalog
        } else {
            catalog = .standard
        }
    }

    /// What the intake queues for an event, from the catalog only: a workflow update needs no route, an ignored
    /// kind gets nothing, anything else is delivered when a route takes it (the amount is checked once the
    /// document is read). Nil: stored and not queued.
    public func job(for event: BusinessEvent) -> JobKind? {
        switch catalog.entry(for: event)?.kind {
        case .workflowUpdate: .workflowEvent
        case .ignore: nil
        case .notice, .approval, nil: routes.first(for: event, amount: .unknownYet) == nil ? nil : .deliverEvent
        }
    }
}
