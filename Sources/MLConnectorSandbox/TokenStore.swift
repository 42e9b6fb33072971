/// Access tokens issued by the sandbox's Entra endpoint, each for one audience until it expires.
struct TokenStore: Sendable {
    private var tokens: [String: (audience: String, expiresAtMs: Int64)] = [:]

    mutating func issue(audience: String, lifetimeSeconds: Int, nowMs: Int64) -> String {
        let token = "sbx." + (0..<4).map { _ in hex(UInt64.random(in: .min ... .max)) }.joined()
        tokens[token] = (audience, nowMs + Int64(lifetimeSeconds) * 1000)
        return token
    }

    /// Whether `token` was issued for `audience` and has not expired.
    func isValid(_ token: String?, audience: String, nowMs: Int64) -> Bool {
        guard let token, let entry = tokens[token] else { return false }
        return entry.audience == audience && nowMs < entry.expiresAtMs
    }

    private func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
