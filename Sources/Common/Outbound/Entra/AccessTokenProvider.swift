import Glibc
public import Core
public import Domain

/// Entra ID client-credentials tokens for one connection's F&O environment, cached sealed in PostgreSQL.
///
/// A token is refreshed a few minutes before it expires by exactly one process: the refresher takes a short
/// lease (`refreshing_until`) with a conditional UPDATE; every other process keeps using the cached token while
/// it is still valid, or waits briefly for the refresher when there is none.
public struct AccessTokenProvider {
    /// Refresh this long before expiry (or a tenth of the token's lifetime, if shorter).
    static let refreshMargin = 300
    /// How long a refresher holds the lease.
    static let refreshLeaseSeconds = 30

    private let store: AccessTokenStore
    private let box: SecretBox
    private let caller: OutboundCaller
    private let connectionID: Int64
    private let tokenURL: String
    private let clientID: String
    private let clientSecret: String
    private let scope: String
    private let memory: AccessTokenCache?

    public init(db: PostgresConnection, box: SecretBox, caller: OutboundCaller, connection: ConnectionRecord,
                dynamicsURL: String, clientSecret: String, memory: AccessTokenCache? = nil) {
        self.memory = memory
        store = AccessTokenStore(db, connectionID: connection.id)
        self.box = box
        self.caller = caller
        connectionID = connection.id
        tokenURL = "\(connection.entraAuthority)/\(FormURLEncoding.percentEncode(connection.tenantID))/oauth2/v2.0/token"
        clientID = connection.clientID
        self.clientSecret = clientSecret
        scope = dynamicsURL + "/.default"
    }

    private var associatedData: String { AccessTokenStore.associatedData(connectionID: connectionID) }

    /// A valid access token, refreshing it when due.
    public func token() throws -> String {
        if let kept = memory?.token(connectionID: connectionID) { return kept }
        for _ in 0..<50 {
            let cached = try store.cached(refreshMargin: Self.refreshMargin)
            if let sealed = cached.sealed, cached.fresh {
                let token = try box.openString(sealed, associatedData: associatedData)
                memory?.keep(token, connectionID: connectionID)
                return token
            }
            if try store.leaseRefresh(seconds: Self.refreshLeaseSeconds) {
                let token = try refresh()
                memory?.keep(token, connectionID: connectionID)
                return token
            }
            if let sealed = cached.sealed, cached.usable { return try box.openString(sealed, associatedData: associatedData) }
            usleep(200_000)  // another process is fetching the first token
        }
        throw PlatformError(.retry(after: nil), "timed out waiting for another process to fetch an Entra ID token")
    }

    /// Forgets `token` after F&O refused it (401), so the next `token()` fetches a new one.
    public func invalidate() throws(PostgresError) {
        memory?.forget(connectionID: connectionID)
        try store.expire()
    }

    private func refresh() throws -> String {
        do {
            let body = "grant_type=client_credentials&client_id=\(FormURLEncoding.percentEncode(clientID))"
                + "&client_secret=\(FormURLEncoding.percentEncode(clientSecret))&scope=\(FormURLEncoding.percentEncode(scope))"
            let response = try caller.send(HTTPRequest(method: "POST", url: tokenURL,
                                                       headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                       body: Array(body.utf8)), action: "token.refresh")
            guard response.status == 200 else {
                let json = try? JSONParser.parse(response.body)
                // Entra's `error_codes` (`[7000215]`) name the cause; its description is not kept (it can name the host).
                let code = json?["error_codes"]?.arrayValue?.first?.int64Value.map { "AADSTS\($0)" }
                let reason = ([json?["error"]?.stringValue ?? "HTTP \(response.status)"] + [code].compactMap { $0 }).joined(separator: " ")
                let failure = PlatformError(answer: response, "Entra ID token request failed: \(reason)", code: code,
                                            rateKey: RateKey.dynamics(connectionID: connectionID))
                guard failure.disposition == .permanent else { throw failure }
                throw PlatformError(.permanent, "Entra ID refused the token request: \(reason) (check tenant, client id and secret)",
                                    status: response.status, code: code)
            }
            guard let json = try? JSONParser.parse(response.body), let token = json["access_token"]?.stringValue,
                  let lifetime = json["expires_in"]?.int64Value
            else { throw PlatformError(.retry(after: nil), "Entra ID token response was not understood", status: response.status) }
            let sealed = try box.seal(token, associatedData: associatedData)
            try store.store(sealed: sealed, lifetimeSeconds: Int(lifetime))
            return token
        } catch {
            try? store.releaseLease()
            throw error
        }
    }
}
