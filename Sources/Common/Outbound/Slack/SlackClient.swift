public import Core
import Domain

/// The Slack Web API methods the connector uses, with `ok:false` error codes classified for the queue.
public struct SlackClient {
    private let caller: OutboundCaller
    private let token: String
    private let baseURL: String
    private let connectionID: Int64

    /// `baseURL` is the API root without trailing slash (`https://slack.com/api`).
    public init(caller: OutboundCaller, token: String, baseURL: String, connectionID: Int64) {
        self.caller = caller
        self.token = token
        self.baseURL = baseURL
        self.connectionID = connectionID
    }

    /// Errors that will not go away by retrying: the message is discarded with this explanation.
    static let permanentErrors: [String: String] = [
        "channel_not_found": "the channel does not exist or the app cannot see it",
        "not_in_channel": "the app is not a member of the channel (invite it)",
        "is_archived": "the channel is archived",
        "invalid_auth": "the bot token is not valid",
        "not_authed": "no bot token was sent",
        "token_revoked": "the bot token was revoked",
        "account_inactive": "the bot token belongs to a deactivated app",
        "missing_scope": "the app lacks a required scope",
        "invalid_blocks": "Slack rejected the card's blocks",
        "invalid_blocks_format": "Slack rejected the card's blocks",
        "msg_blocks_too_long": "the card is too long for Slack",
        "no_text": "the message had no text",
        "messages_tab_disabled": "the person has disabled direct messages from apps",
        "message_not_found": "the message to update no longer exists",
        "cant_update_message": "the message was not posted by this app",
        "users_not_found": "no Slack user has that email",
        "expired_trigger_id": "the click is older than Slack's three seconds",
        "invalid_trigger_id": "the click's trigger is not valid",
    ]

    /// Calls `method` with a JSON body; returns the response object when `ok` is true.
    @discardableResult
    public func call(_ method: String, _ arguments: JSONObject, action: String, detail: String = "") throws(PlatformError) -> JSONObject {
        try handle(method, channel: arguments["channel"]?.stringValue, caller.send(HTTPRequest(method: "POST", url: "\(baseURL)/\(method)",
                                                   headers: [("Authorization", "Bearer " + token),
                                                             ("Content-Type", "application/json; charset=utf-8")],
                                                   body: JSONValue.object(arguments).serializedBytes()),
                                       action: action, detail: detail, failed: Self.isFailure))
    }

    /// `users.lookupByEmail`: the Slack user id, or nil when nobody has that email.
    public func lookupUser(email: String) throws(PlatformError) -> String? {
        do {
            return try read("users.lookupByEmail", [("email", email)], action: "slack.lookup")["user"]?["id"]?.stringValue
        } catch let error where error.code == "users_not_found" || error.code == "user_not_found" {
            return nil
        }
    }

    /// `users.info`: the user's email address (`profile.email`, with the `users:read.email` scope), or nil when
    /// Slack shows none.
    public func email(ofUser user: String) throws(PlatformError) -> String? {
        let email = try read("users.info", [("user", user)], action: "slack.user")["user"]?["profile"]?["email"]?.stringValue
        return email.flatMap { $0.trimmingCharacters().isEmpty ? nil : $0.trimmingCharacters() }
    }

    /// `users.info`: the user's `tz_offset`, seconds east of UTC for their Slack time zone now (daylight saving
    /// included), and `tz`, its name; nil members when Slack gives none.
    public func timeZone(ofUser user: String) throws(PlatformError) -> (name: String?, offset: Int?) {
        let answer = try read("users.info", [("user", user)], action: "slack.user")
        return (answer["user"]?["tz"]?.stringValue, answer["user"]?["tz_offset"]?.int64Value.map { Int($0) })
    }

    /// `chat.getPermalink`: the message's permalink, which Slack never changes.
    public func permalink(channel: String, ts: String) throws(PlatformError) -> String? {
        try read("chat.getPermalink", [("channel", channel), ("message_ts", ts)], action: "slack.permalink")["permalink"]?.stringValue
    }

    /// `conversations.history` with message metadata: the newest `limit` messages of a channel or DM.
    public func history(channel: String, limit: Int) throws(PlatformError) -> [JSONValue] {
        try read("conversations.history", [("channel", channel), ("limit", String(limit)), ("include_all_metadata", "true")],
                 action: "slack.history")["messages"]?.arrayValue ?? []
    }

    /// `conversations.replies` with message metadata: the message `thread` and its replies, oldest first.
    public func replies(channel: String, thread: String, limit: Int) throws(PlatformError) -> [JSONValue] {
        try read("conversations.replies", [("channel", channel), ("ts", thread), ("limit", String(limit)), ("include_all_metadata", "true")],
                 action: "slack.history")["messages"]?.arrayValue ?? []
    }

    /// A read method: its arguments in the query string of a GET (Slack takes JSON bodies only for most write
    /// methods, so a read sent as JSON would find its arguments missing), paced on the method's own bucket.
    private func read(_ method: String, _ arguments: [(String, String)], action: String) throws(PlatformError) -> JSONObject {
        let query = arguments.map { "\($0.0)=\(FormURLEncoding.percentEncode($0.1))" }.joined(separator: "&")
        let response = try caller.send(HTTPRequest(method: "GET", url: "\(baseURL)/\(method)?\(query)",
                                                   headers: [("Authorization", "Bearer " + token)]),
                                       action: action, failed: Self.isFailure)
        return try handle(method, channel: nil, response, rateKey: RateKey.slackMethod(connectionID: connectionID, method: method))
    }

    private static func isFailure(_ response: HTTPResponse) -> Bool {
        guard response.status == 200, let object = try? JSONParser.parse(response.body).objectValue else { return true }
        return object["ok"]?.boolValue != true
    }

    /// The answer of `method`, classified: a 429 or `ratelimited` holds back `rateKey`, or the channel's posting
    /// bucket when the call names a channel (else only the job that made it); `ok:false` codes in `permanentErrors` are
    /// permanent, other codes transient.
    private func handle(_ method: String, channel: String?, _ response: HTTPResponse, rateKey: String? = nil) throws(PlatformError)
        -> JSONObject {
        let rateKey = rateKey ?? channel.map { RateKey.slackChannel(connectionID: connectionID, channel: $0) }
        guard response.status == 200 else {
            let message = response.status == 429 ? "\(method): rate limited by Slack" : "\(method): Slack answered HTTP \(response.status)"
            throw PlatformError(answer: response, message, rateKey: rateKey)
        }
        guard let object = try? JSONParser.parse(response.body).objectValue else {
            throw PlatformError(.retry(after: nil), "\(method): Slack's answer was not JSON", status: 200)
        }
        guard object["ok"]?.boolValue == true else {
            let code = object["error"]?.stringValue ?? "unknown_error"
            if code == "ratelimited" || code == "rate_limited" {
                let seconds = PlatformError.seconds(RetryAfter.delay(response.header("retry-after")))
                throw PlatformError(.rateLimited(seconds: seconds, rateKey: rateKey), "\(method): rate limited by Slack", status: 200,
                                    code: code)
            }
            let needed = code == "missing_scope" ? object["needed"]?.stringValue : nil
            if let meaning = Self.permanentErrors[code] {
                throw PlatformError(.permanent, "\(method): \(code): \(meaning)" + (needed.map { " (needed: \($0))" } ?? ""),
                                    status: 200, code: code, neededScope: needed)
            }
            throw PlatformError(.retry(after: nil), "\(method): \(code)", status: 200, code: code)
        }
        return object
    }
}
