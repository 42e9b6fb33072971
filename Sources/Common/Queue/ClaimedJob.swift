/// A job this worker holds under a lease.
public struct ClaimedJob: Sendable {
    public let id: Int64
    public let kind: String
    public let connectionID: Int64?
    public let businessEventRowID: Int64?
    public let args: JSONObject
    /// The attempt now running (1-based).
    public let attempt: Int
    public let maxAttempts: Int
    public let rateKey: String
}
