/// Names of the pacing buckets (`rate_bucket.key`) that jobs are claimed through: a 429 holds back every job of
/// the bucket it names, and a bucket's interval paces its jobs across all workers.
public enum RateKey {
    /// Jobs that share no platform limit.
    public static let unpaced = "default"

    /// Every F&O call of a connection (its reads and workflow actions, and its Entra ID tokens).
    public static func dynamics(connectionID: Int64) -> String { "dynamics:\(connectionID)" }

    /// Posts to one Slack channel (`Configuration.slackChannelIntervalMilliseconds`).
    public static func slackChannel(connectionID: Int64, channel: String) -> String { "slack:\(connectionID):\(channel)" }

    /// One Slack Web API method of a connection that is not a post to a channel (`users.lookupByEmail`): a 429 on it
    /// holds back Slack's limit for that method, never the connection's F&O bucket the delivery job runs in.
    public static func slackMethod(connectionID: Int64, method: String) -> String { "slack:\(connectionID):method:\(method)" }
}
