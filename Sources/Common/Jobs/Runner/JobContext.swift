public import Core
public import Domain
public import Outbound
public import Logging

/// What a job needs from the worker: the database, one HTTP client (connections reused across jobs), the secret
/// box, and caches of connections, their opened secrets, catalogs, Entra tokens and dimension formats, refreshed
/// every minute.
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
    /// The running job's outbound-call audit rows (set by the runner, written with the job's completion); nil
    /// outside a job, where each row is written at once.
    public internal(set) var auditBuffer: AuditBuffer?
    private var connections: [Int64: (record: ConnectionRecord, secrets: ConnectionSecrets)] = [:]
    private var catalogs: [Int64: EventCatalog] = [:]
    private let tokens: AccessTokenCache
    private var dimensionFormats: [Int64: DimensionFormat?] = [:]
    /// When the caches were filled: a long-running worker reads a connection's credentials, catalog and removal
    /// again at most `cacheLifetime` (a minute) later (DESIGN.md §7 Security).
    private var cachedSince = ContinuousClock.now
    private let cacheLifetime: Duration

    public init(db: PostgresConnection, http: HTTPClient, box: SecretBox, logger: Logger, slackChannelIntervalMilliseconds: Int = 1050,
                retryBaseSeconds: Int = 10, cacheLifetime: Duration = .seconds(60)) {
        self.cacheLifetime = cacheLifetime
        tokens = AccessTokenCache(lifetime: cacheLifetime)
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

    /// The connection's default-dimension format (nil: the environment has none), from `load` once per run.
    func defaultDimensionFormat(_ connectionID: Int64, load: () throws -> DimensionFormat?) throws -> DimensionFormat? {
        expireCaches()
        if let kept = dimensionFormats[connectionID] { return kept }
        let format = try load()
        dimensionFormats[connectionID] = .some(format)
        return format
    }

    private func expireCaches() {
        guard cachedSince.duration(to: .now) > cacheLifetime else { return }
        connections.removeAll()
        catalogs.removeAll()
        tokens.removeAll()
        dimensionFormats.removeAll()
        cachedSince = .now
    }

    public func caller(_ scope: OutboundCaller.Scope) -> OutboundCaller {
        OutboundCaller(http: http, audit: AuditStore(db), scope: scope, logger: logger, deadline: deadline, buffer: auditBuffer)
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
                                         dynamicsURL: url, clientSecret: secret, memory: tokens)
        return DynamicsClient(caller: caller, tokens: tokens, baseURL: url, connectionID: connectionID)
    }
}
