/// The Slack workspace the sandbox pretends to be: seeded users and channels, and everything the bot did in it.
struct SlackWorkspace: Sendable {
    struct User: Sendable {
        let id: String
        let name: String
        let realName: String
        let email: String
        /// The bot's direct-message channel with this user.
        let dmChannel: String

        var json: JSONValue {
            .object([
                "id": .string(id), "team_id": .string(SlackWorkspace.teamID), "name": .string(name),
                "real_name": .string(realName), "profile": .object(["email": .string(email), "real_name": .string(realName)]),
            ])
        }
    }

    static let teamID = "T0CONTOSO"
    static let botID = "B0MLCONNECT"
    static let botUserID = "U0BOT"
    static let users = [
        User(id: "U04ALICIA", name: "alicia.thornton", realName: "Alicia Thornton",
             email: "alicia.thornton@contoso.example", dmChannel: "D04ALICIADM"),
        User(id: "U05JULIA", name: "julia.funderburk", realName: "Julia Funderburk",
             email: "julia.funderburk@contoso.example", dmChannel: "D05JULIADM"),
    ]
    /// Channels the bot is a member of.
    static let channels: Set<String> = ["C0FINANCE", "C0AP", "C0PAYMENTS", "C0PURCHASING", "C0APPROVALS", "C0FALLBACK", "C0ALERTS"]
    /// A channel that exists but the bot is not in.
    static let privateChannel = "C0PRIVATE"
    /// How long a trigger id may be used for `views.open`, as in Slack.
    static let triggerLifetimeMs: Int64 = 3000

    /// Every message, update, ephemeral and modal, in arrival order (`GET /_sandbox/messages`).
    private(set) var log: [JSONValue] = []
    /// Current version per posted message, keyed by `channel ts`.
    private var versions: [String: Int] = [:]
    private var lastPostMs: [String: Int64] = [:]
    /// Issue time of each trigger id, and whether it was used.
    private var triggers: [String: (issuedMs: Int64, used: Bool)] = [:]
    private var sequence = 0

    static func user(email: String) -> User? {
        users.first { $0.email.lowercased() == email.lowercased() }
    }

    /// The conversation a message goes to: a member channel, a DM channel, or a user id meaning that user's DM.
    static func conversation(for channel: String, allowUserID: Bool) -> Result<String, SlackRoutes.Failure> {
        if channels.contains(channel) || users.contains(where: { $0.dmChannel == channel }) { return .success(channel) }
        if channel == privateChannel { return .failure(.init("not_in_channel")) }
        if allowUserID, let user = users.first(where: { $0.id == channel }) { return .success(user.dmChannel) }
        return .failure(.init("channel_not_found"))
    }

    /// A message timestamp: epoch seconds and a six-digit sequence, unique in the workspace.
    mutating func nextTimestamp(nowMs: Int64) -> String {
        sequence = (sequence + 1) % 1_000_000
        let digits = String(sequence)
        return "\(nowMs / 1000)." + String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// Whether pacing allows a post to `channel` now (one per second per channel); records the post when it does.
    mutating func admitPost(to channel: String, nowMs: Int64, pacing: Bool) -> Bool {
        if pacing, let last = lastPostMs[channel], nowMs - last < 1000 { return false }
        lastPostMs[channel] = nowMs
        return true
    }

    func hasMessage(channel: String, ts: String) -> Bool {
        versions["\(channel) \(ts)"] != nil
    }

    /// Appends one entry to the log; posts start at version 1 and each update of the same message adds one.
    mutating func record(method: String, channel: String?, ts: String?, user: String? = nil, text: JSONValue?,
                         blocks: JSONValue?, extra: JSONObject = [:], nowMs: Int64) {
        var version = 1
        if let channel, let ts, method == "chat.postMessage" || method == "chat.update" {
            version = (versions["\(channel) \(ts)"] ?? 0) + 1
            versions["\(channel) \(ts)"] = version
        }
        var entry: JSONObject = [
            "method": .string(method), "channel": channel.map(JSONValue.string) ?? .null, "ts": ts.map(JSONValue.string) ?? .null,
            "user": user.map(JSONValue.string) ?? .null, "text": text ?? .null, "blocks": blocks ?? .null,
        ]
        for member in extra.members { entry[member.key] = member.value }
        entry["received_at_ms"] = .number(String(nowMs))
        entry["version"] = .number(String(version))
        log.append(.object(entry))
    }

    mutating func issueTrigger(nowMs: Int64) -> String {
        sequence = (sequence + 1) % 1_000_000
        let trigger = "\(nowMs / 1000).\(sequence).\(String(UInt64.random(in: .min ... .max), radix: 16))"
        triggers[trigger] = (nowMs, false)
        return trigger
    }

    /// Uses up a trigger id (each opens one view): `nil` when it is valid, else Slack's error code.
    mutating func consumeTrigger(_ trigger: String, nowMs: Int64) -> String? {
        guard let entry = triggers[trigger] else { return "invalid_trigger_id" }
        if entry.used { return "exchanged_trigger_id" }
        if nowMs - entry.issuedMs >= Self.triggerLifetimeMs { return "expired_trigger_id" }
        triggers[trigger]?.used = true
        return nil
    }

    mutating func nextViewID() -> String {
        sequence = (sequence + 1) % 1_000_000
        return "V0SBX\(sequence)"
    }
}
