import Core
import Domain
import Outbound
import Interactions

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
    static let teamDomain = "contoso"
    /// The ml-connector app, as named in interaction payloads.
    static let appID = "A0MLCONNECT"
    /// The deprecated verification token every interaction payload still carries.
    static let verificationToken = "deprecated-verification-token"
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
    /// A `response_url` accepts up to five posts within 30 minutes, as in Slack.
    static let responseURLLifetimeMs: Int64 = 30 * 60 * 1000
    static let responseURLMaxUses = 5

    /// Where a `response_url` of an interaction payload points: the message clicked and who clicked.
    struct ResponseURL: Sendable {
        let channel: String
        let ts: String
        let user: String
        let issuedMs: Int64
        var uses = 0
    }

    /// Each user's Slack time zone (`users.info` `tz`, `tz_label`, `tz_offset`): a fixed offset, no daylight saving;
    /// `POST /_sandbox/users/{id}/tz` changes it.
    struct TimeZone: Sendable {
        let name: String
        let label: String
        let offset: Int
    }

    private(set) var timeZones: [String: TimeZone] = [
        "U04ALICIA": TimeZone(name: "America/New_York", label: "Eastern Standard Time", offset: -18_000),
        "U05JULIA": TimeZone(name: "Europe/London", label: "Greenwich Mean Time", offset: 0),
    ]

    mutating func setTimeZone(_ zone: TimeZone, ofUser user: String) {
        timeZones[user] = zone
    }

    /// Every message, update, ephemeral and modal, in arrival order (`GET /_sandbox/messages`).
    private(set) var log: [JSONValue] = []
    /// Current version per posted message, keyed by `channel ts`.
    private var versions: [String: Int] = [:]
    private var lastPostMs: [String: Int64] = [:]
    /// Issue time of each trigger id, whether it was used, and the user whose interaction it came with.
    private var triggers: [String: (issuedMs: Int64, used: Bool, user: String?)] = [:]
    /// The `response_url`s handed out with interaction payloads, by id.
    private var responseURLs: [String: ResponseURL] = [:]
    /// Each user's App Home view as last published (`views.publish`), and how many times it was.
    private(set) var homes: [String: (view: JSONObject, publications: Int)] = [:]
    private var sequence = 0

    static func user(email: String) -> User? {
        users.first { $0.email.lowercased() == email.lowercased() }
    }

    static func user(id: String) -> User? {
        users.first { $0.id == id }
    }

    /// A conversation's name as interaction payloads give it: `directmessage` for a DM, else the channel's name.
    static func channelName(_ channel: String) -> String {
        if users.contains(where: { $0.dmChannel == channel }) { return "directmessage" }
        return channel.hasPrefix("C0") ? String(channel.dropFirst(2)).lowercased() : channel.lowercased()
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

    /// The log entry of the current version of a posted message: its post, last `chat.update`, or last
    /// `response_url` post with `replace_original`.
    func latestMessage(channel: String, ts: String) -> JSONObject? {
        log.last { entry in
            guard let entry = entry.objectValue, entry["channel"]?.stringValue == channel, entry["ts"]?.stringValue == ts else {
                return false
            }
            return Self.isMessageVersion(entry)
        }?.objectValue
    }

    /// The current version of every message posted to `channel`, oldest first (see `latestMessage`).
    func messages(in channel: String) -> [JSONObject] {
        var order: [String] = []
        var current: [String: JSONObject] = [:]
        for case .object(let entry) in log where entry["channel"]?.stringValue == channel && Self.isMessageVersion(entry) {
            guard let ts = entry["ts"]?.stringValue else { continue }
            if current[ts] == nil { order.append(ts) }
            current[ts] = entry
        }
        return order.compactMap { current[$0] }
    }

    /// The `views.open` log entry of the view `id` (the latest view when `id` is `nil`).
    func openedView(id: String?) -> JSONObject? {
        log.last { entry in
            guard let entry = entry.objectValue, entry["method"]?.stringValue == "views.open" else { return false }
            return id == nil || entry["view"]?.objectValue?["id"]?.stringValue == id
        }?.objectValue
    }

    /// Whether a log entry is a new version of a posted message.
    private static func isMessageVersion(_ entry: JSONObject) -> Bool {
        switch entry["method"]?.stringValue {
        case "chat.postMessage", "chat.update": true
        case "response_url": entry["replace_original"] == .bool(true)
        default: false
        }
    }

    /// Appends one entry to the log; posts start at version 1 and each update of the same message adds one
    /// (`chat.update`, or a `response_url` post with `replace_original`). An update without `metadata` keeps the
    /// message's metadata, as in Slack.
    mutating func record(method: String, channel: String?, ts: String?, user: String? = nil, text: JSONValue?,
                         blocks: JSONValue?, extra: JSONObject = [:], nowMs: Int64) {
        var version = 1
        var extra = extra
        let replaces = method == "response_url" && extra["replace_original"] == .bool(true)
        if let channel, let ts, method == "chat.update" || replaces, extra["metadata"] == nil {
            extra["metadata"] = latestMessage(channel: channel, ts: ts)?["metadata"]
        }
        if let channel, let ts, method == "chat.postMessage" || method == "chat.update" || replaces {
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

    /// A fresh trigger id, valid for one `views.open` within 3 s; `user` is who interacted, when known.
    mutating func issueTrigger(nowMs: Int64, user: String? = nil) -> String {
        sequence = (sequence + 1) % 1_000_000
        let trigger = "\(nowMs / 1000).\(sequence).\(Self.randomHex(byteCount: 16))"
        triggers[trigger] = (nowMs, false, user)
        return trigger
    }

    /// The user whose interaction came with `trigger`, if the sandbox issued it for one.
    func user(ofTrigger trigger: String) -> String? {
        triggers[trigger]?.user
    }

    /// A fresh `response_url` id for an interaction with the message `channel ts` by `user`.
    mutating func issueResponseURL(channel: String, ts: String, user: String, nowMs: Int64) -> String {
        let id = Self.randomHex(byteCount: 12)
        responseURLs[id] = ResponseURL(channel: channel, ts: ts, user: user, issuedMs: nowMs)
        return id
    }

    /// Counts one post to the `response_url` `id`: the message and user it belongs to, or Slack's error code.
    mutating func useResponseURL(_ id: String, nowMs: Int64) -> Result<ResponseURL, SlackRoutes.Failure> {
        guard var entry = responseURLs[id] else { return .failure(.init("invalid_url", status: 404)) }
        if nowMs - entry.issuedMs >= Self.responseURLLifetimeMs { return .failure(.init("expired_url", status: 404)) }
        if entry.uses >= Self.responseURLMaxUses { return .failure(.init("used_url", status: 404)) }
        entry.uses += 1
        responseURLs[id] = entry
        return .success(entry)
    }

    static func randomHex(byteCount: Int) -> String {
        let bytes = (try? SecureRandom.bytes(byteCount)) ?? (0..<byteCount).map { _ in UInt8.random(in: .min ... .max) }
        return Digest.hex(bytes)
    }

    /// Uses up a trigger id (each opens one view): `nil` when it is valid, else Slack's error code.
    mutating func consumeTrigger(_ trigger: String, nowMs: Int64) -> String? {
        guard let entry = triggers[trigger] else { return "invalid_trigger_id" }
        if entry.used { return "exchanged_trigger_id" }
        if nowMs - entry.issuedMs >= Self.triggerLifetimeMs { return "expired_trigger_id" }
        triggers[trigger]?.used = true
        return nil
    }

    mutating func publishHome(_ view: JSONObject, for user: String) {
        homes[user] = (view, (homes[user]?.publications ?? 0) + 1)
    }

    mutating func nextViewID() -> String {
        sequence = (sequence + 1) % 1_000_000
        return "V0SBX\(sequence)"
    }
}
