/// Access tokens a long-running worker has already opened, kept in memory for a short `lifetime` (a minute) so a
/// job's F&O reads do not each read and open the sealed token in PostgreSQL. Only a fresh token is kept (at least
/// `AccessTokenProvider.refreshMargin` left), so a kept one never outlives its validity; a refused one is forgotten.
public final class AccessTokenCache {
    private var tokens: [Int64: (token: String, until: ContinuousClock.Instant)] = [:]
    private let lifetime: Duration

    public init(lifetime: Duration) { self.lifetime = lifetime }

    func token(connectionID: Int64) -> String? {
        guard let kept = tokens[connectionID] else { return nil }
        guard ContinuousClock.now < kept.until else {
            tokens[connectionID] = nil
            return nil
        }
        return kept.token
    }

    func keep(_ token: String, connectionID: Int64) {
        tokens[connectionID] = (token, .now + lifetime)
    }

    func forget(connectionID: Int64) { tokens[connectionID] = nil }

    /// Forgets every token (the worker's connection caches expired, or a connection changed).
    public func removeAll() { tokens.removeAll() }
}
