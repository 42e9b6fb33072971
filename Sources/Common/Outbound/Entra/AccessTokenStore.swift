public import Core

/// Every statement on `access_token`: one sealed Entra ID token per connection, with its expiry and the short
/// lease (`refreshing_until`) that lets exactly one process refresh it.
public struct AccessTokenStore {
    /// A cached token as stored.
    public struct Cached {
        public let sealed: String?
        /// Still fresh: no refresh due (`refreshMargin` before expiry, or a tenth of its lifetime if shorter).
        public let fresh: Bool
        /// Still usable for a few seconds while another process refreshes it.
        public let usable: Bool
    }

    private let db: PostgresConnection
    private let connectionID: Int64

    public init(_ db: PostgresConnection, connectionID: Int64) {
        self.db = db
        self.connectionID = connectionID
    }

    /// The cached token (a row is created empty the first time).
    public func cached(refreshMargin: Int) throws(PostgresError) -> Cached {
        try db.query("INSERT INTO access_token (connection_id) VALUES (\(connectionID)) ON CONFLICT DO NOTHING")
        guard let row = try db.query("""
            SELECT sealed_token,
                   coalesce(expires_at - now() > least(make_interval(secs => \(refreshMargin)), (expires_at - updated_at) / 10),
                            false) AS fresh,
                   coalesce(expires_at > now() + interval '5 seconds', false) AS usable
            FROM access_token WHERE connection_id = \(connectionID)
            """).first
        else { throw PostgresError(kind: .protocolFailure, serverMessage: "access_token row vanished") }
        return Cached(sealed: try row.optionalString("sealed_token"), fresh: try row.bool("fresh"), usable: try row.bool("usable"))
    }

    /// Takes the refresh lease for `seconds`; false when another process holds it.
    public func leaseRefresh(seconds: Int) throws(PostgresError) -> Bool {
        try db.query("""
            UPDATE access_token SET refreshing_until = now() + make_interval(secs => \(seconds))
            WHERE connection_id = \(connectionID) AND (refreshing_until IS NULL OR refreshing_until < now())
            RETURNING 1 AS leased
            """).first != nil
    }

    /// Stores a new token and gives the lease back.
    public func store(sealed: String, lifetimeSeconds: Int) throws(PostgresError) {
        try db.query("""
            UPDATE access_token SET sealed_token = \(sealed), expires_at = now() + make_interval(secs => \(lifetimeSeconds)),
                                    refreshing_until = NULL, updated_at = now()
            WHERE connection_id = \(connectionID)
            """)
    }

    /// Gives the lease back without a token (the refresh failed).
    public func releaseLease() throws(PostgresError) {
        try db.query("UPDATE access_token SET refreshing_until = NULL WHERE connection_id = \(connectionID)")
    }

    /// What a connection's sealed token is bound to (SecretBox associated data).
    public static func associatedData(connectionID: Int64) -> String { "connection:\(connectionID):access_token" }

    /// Re-seals every cached token not under `currentKeyID` (`ml-connector keys rotate`), so that removing the
    /// previous key never strands a token; one that no key opens any more is dropped (the next job fetches a new
    /// one). Returns how many were re-sealed and dropped.
    public static func resealAll(in db: PostgresConnection, box: SecretBox, currentKeyID: String) throws -> (resealed: Int, dropped: Int) {
        try db.transaction { db in
            var counts = (resealed: 0, dropped: 0)
            for row in try db.query("""
                SELECT connection_id, sealed_token FROM access_token WHERE sealed_token IS NOT NULL FOR UPDATE
                """).rows {
                let id = try row.int64("connection_id")
                let sealed = try row.string("sealed_token")
                guard SecretBox.keyID(of: sealed) != currentKeyID else { continue }
                if let token = try? box.openString(sealed, associatedData: associatedData(connectionID: id)) {
                    let resealed = try box.seal(token, associatedData: associatedData(connectionID: id))
                    try db.query("UPDATE access_token SET sealed_token = \(resealed) WHERE connection_id = \(id)")
                    counts.resealed += 1
                } else {
                    try db.query("UPDATE access_token SET sealed_token = NULL, expires_at = now() WHERE connection_id = \(id)")
                    counts.dropped += 1
                }
            }
            return counts
        }
    }

    /// Marks the token expired (F&O refused it), so the next request fetches a new one.
    public func expire() throws(PostgresError) {
        try db.query("UPDATE access_token SET expires_at = now() WHERE connection_id = \(connectionID)")
    }

    /// Deletes the cached token (its connection was removed, or its credentials changed).
    public func forget() throws(PostgresError) {
        try db.query("DELETE FROM access_token WHERE connection_id = \(connectionID)")
    }
}
