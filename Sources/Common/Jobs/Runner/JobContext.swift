public import Core
public import Domain
public import Outbound
public import Logging

/// What a job needs from the worker: the database, one HTTP client (connections reused across jobs), the secret
/// box, and caches of connections, their opened secrets and catalogs, refreshed every minute.
public final class JobContext {
    public let db: PostgresConnection
    public let http: HTTPClient
    public let box: SecretBox
    public let logger: Logger
    /// Least time between two posts to one Slack channel.
    public let slackChannelIntervalMilliseconds: Int
    /// Base of the retry backoff; an unconfirmed decision is re-checked a few of these apart.
    public let retryBaseSeconds: Int
    /// The running job's deadline (set by the runner): every outbound call stops short of it.
    public internal(set) var deadline: ContinuousClock.Instant?
    private var connections: [Int64: (record: ConnectionRecord, secrets: ConnectionSecrets)] = [:]
    private var catalogs: [Int64: EventCatalog] = [:]
    /// When the caches were filled: a long-running worker reads a connection's credentials, catalog and removal
    /// again at most `cacheLifetime` (a minute) later (DESIGN.md §7 Security).
    private var cachedSince = ContinuousClock.now
    private let cacheLifetime: Duration

    public init(db: PostgresConnection, http: HTTPClient, box: SecretBox, logger: Logger, slackChannelIntervalMilliseconds: Int = 1050,
                retryBaseSeconds: Int = 10, cacheLifetime: Duration = .seconds(60)) {
        self.cacheLifetime = cacheLifetime
        self.slackChannelIntervalMilliseconds = slackChannelIntervalMilliseconds
        self.retryBaseSeconds = retryBaseSeconds
        self.db = db
        self.http = http
        self.box = box
        self.logger = logger
    }

    /// The connection and all its secrets, opened once per run. A removed connection has no secrets left, so
    /// its jobs are discarded.
    public func connection(_ id: Int64) throws -> (record: ConnectionRecord, secrets: ConnectionSecrets) {
        expireCaches()
        if let cached = connections[id] { return cached }
        let store = ConnectionStore(db)
        guard let record = try store.record(id: id) else {
            throw PlatformError(.permanent, "connection \(id) was removed")
        }
        let secrets = try store.secrets(connectionID: id, fields: ConnectionSecrets.Field.allCases, box: box)
        connections[id] = (record, secrets)
        return (record, secrets)
    }

    /// The standard catalog with the connection's overrides, parsed once per run.
    public func catalog(_ connectionID: Int64) throws -> EventCatalog {
        expireCaches()
        if let cached = catalogs[connectionID] { return cached }
        let catalog = try EventCatalog.standard.overridden(by: try connection(connectionID).record.catalog)
        catalogs[connectionID] = catalog
        return catalog
    }

    private func expireCaches() {
        guard cachedSince.duration(to: .now) > cacheLifetime else { return }
        connections.removeAll()
        catalogs.removeAll()
        cachedSince = .now
    }

    public func caller(_ scope: OutboundCaller.Scope) -> OutboundCaller {
        OutboundCaller(http: http, audit: AuditStore(db), scope: scope, logger: logger, deadline: deadline)
    }

    public func slack(connectionID: Int64, scope: OutboundCaller.Scope) throws -> SlackClient {
        let connection = try connection(connectionID)
        guard let token = connection.secrets[.slackBotToken] else { throw PlatformError(.permanent, "no Slack bot token stored") }
        return SlackClient(caller: caller(scope), token: token, baseURL: connection.record.slackAPIURL, connectionID: connectionID)
    }

    public func dynamics(connectionID: Int64, scope: OutboundCaller.Scope) throws -> DynamicsClient {
        let connection = try connection(connectionID)
        guard let url = connection.secrets[.dynamicsURL], let secret = connection.secrets[.dynamicsClientSecret] else {
            throw PlatformError(.permanent, "the F&O URL or client secret is not stored")
        }
        let caller = caller(scope)
        let tokens = AccessTokenProvider(db: db, box: box, caller: caller, connection: connection.record,
                                         dynamicsURL: url, clientSecret: secret)
        return DynamicsClient(caller: caller, tokens: tokens, baseURL: url, connectionID: connectionID)
    }
}
