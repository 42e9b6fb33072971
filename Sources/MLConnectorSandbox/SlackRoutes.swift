import Core
import Domain
import Outbound
import Interactions

/// The Slack Web API at `/slack/api/{method}`: the methods the connector uses, with Slack's errors and pacing; and the
/// `response_url`s of interaction payloads at `/slack/response/{id}`.
struct SlackRoutes {
    /// A Slack error: HTTP 200 `{"ok":false,"error":code}`, or 429 with `Retry-After` when rate limited.
    struct Failure: Error {
        let code: String
        var status = 200
        var retryAfter: Int?

        init(_ code: String, status: Int = 200, retryAfter: Int? = nil) {
            self.code = code
            self.status = status
            self.retryAfter = retryAfter
        }
    }

    static let pathPrefix = "/slack/api/"
    static let responsePathPrefix = "/slack/response/"

    let config: SandboxConfig
    let nowMs: Int64

    func respond(to request: SandboxRequest, workspace: inout SlackWorkspace) -> SandboxResponse {
        if request.path.hasPrefix(Self.responsePathPrefix) { return respondToResponseURL(request, workspace: &workspace) }
        do throws(Failure) {
            let method = String(request.path.dropFirst(Self.pathPrefix.count))
            let arguments = try Self.arguments(of: request, method: method)
            guard (request.bearerToken ?? arguments["token"]?.stringValue) == config.botToken else { throw Failure("invalid_auth") }
            let result: JSONObject = switch method {
            case "auth.test": authTest()
            case "users.lookupByEmail": try lookupByEmail(arguments)
            case "users.info": try userInfo(arguments, workspace: workspace)
            case "chat.postMessage": try postMessage(arguments, workspace: &workspace)
            case "chat.update": try update(arguments, workspace: &workspace)
            case "chat.postEphemeral": try postEphemeral(arguments, workspace: &workspace)
            case "views.open": try openView(arguments, workspace: &workspace)
            case "views.publish": try publishView(arguments, workspace: &workspace)
            case "chat.getPermalink": try permalink(arguments, workspace: workspace)
            case "conversations.open": try openConversation(arguments)
            case "conversations.history": try history(arguments, workspace: workspace)
            case "conversations.replies": try replies(arguments, workspace: workspace)
            default: throw Failure("unknown_method")
            }
            return .json(.object(JSONObject([("ok", .bool(true))] + result.members)))
        } catch {
            let headers = error.retryAfter.map { [(name: "Retry-After", value: String($0))] } ?? []
            return .json(.object(["ok": .bool(false), "error": .string(error.code)]), status: error.status, headers: headers)
        }
    }

    /// The read methods: Slack takes their arguments from the query string or a form, never from a JSON body.
    private static let readMethods: Set<String> = ["auth.test", "users.lookupByEmail", "users.info", "chat.getPermalink",
                                                   "conversations.history", "conversations.replies"]

    /// Arguments from the query string and the body: JSON for `chat.*`/`views.*`, a form for reads. In a form,
    /// `blocks`, `view` and `metadata` are JSON text, as the Node SDK sends them. A read's JSON body is ignored, as
    /// Slack ignores it (its arguments are then missing).
    private static func arguments(of request: SandboxRequest, method: String) throws(Failure) -> JSONObject {
        var arguments = JSONObject()
        for item in request.queryItems { arguments[item.name] = .string(item.value) }
        guard !request.body.isEmpty else { return arguments }
        if request.header("content-type")?.lowercased().hasPrefix("application/json") == true {
            guard !readMethods.contains(method) else { return arguments }
            guard let body = request.jsonBody?.objectValue else { throw Failure("invalid_json") }
            for member in body.members { arguments[member.key] = member.value }
        } else {
            for field in request.formBody {
                let isJSON = ["blocks", "view", "metadata"].contains(field.name)
                arguments[field.name] = isJSON ? ((try? JSONParser.parse(field.value.utf8)) ?? .string(field.value)) : .string(field.value)
            }
        }
        return arguments
    }

    private func authTest() -> JSONObject {
        [
            "url": .string("https://contoso.slack.com/"), "team": .string("Contoso"), "user": .string("ml-connector"),
            "team_id": .string(SlackWorkspace.teamID), "user_id": .string(SlackWorkspace.botUserID),
            "bot_id": .string(SlackWorkspace.botID),
        ]
    }

    private func lookupByEmail(_ arguments: JSONObject) throws(Failure) -> JSONObject {
        guard let email = arguments["email"]?.stringValue, !email.isEmpty else { throw Failure("invalid_arguments") }
        guard let user = SlackWorkspace.user(email: email) else { throw Failure("users_not_found") }
        return ["user": user.json]
    }

    /// `users.info`: the user with their time zone (`tz`, `tz_label`, `tz_offset` in seconds east of UTC).
    private func userInfo(_ arguments: JSONObject, workspace: SlackWorkspace) throws(Failure) -> JSONObject {
        guard let id = arguments["user"]?.stringValue, !id.isEmpty else { throw Failure("invalid_arguments") }
        guard let user = SlackWorkspace.user(id: id), var json = user.json.objectValue else { throw Failure("user_not_found") }
        if let zone = workspace.timeZones[id] {
            json["tz"] = .string(zone.name)
            json["tz_label"] = .string(zone.label)
            json["tz_offset"] = .number(String(zone.offset))
        }
        return ["user": .object(json)]
    }

    private func conversation(_ arguments: JSONObject, allowUserID: Bool) throws(Failure) -> String {
        guard let channel = arguments["channel"]?.stringValue, !channel.isEmpty else { throw Failure("channel_not_found") }
        return try SlackWorkspace.conversation(for: channel, allowUserID: allowUserID).get()
    }

    /// The message content: `text` and `blocks`, at least one of them, blocks within Block Kit limits.
    private func content(_ arguments: JSONObject) throws(Failure) -> (text: JSONValue?, blocks: JSONValue?) {
        let text = arguments["text"]
        let blocks = arguments["blocks"]
        if let blocks, BlockKitLimits.violation(in: blocks) != nil { throw Failure("invalid_blocks") }
        let hasText = !(text?.stringValue ?? "").isEmpty
        let hasBlocks = !(blocks?.arrayValue ?? []).isEmpty
        guard hasText || hasBlocks else { throw Failure("no_text") }
        return (text, blocks)
    }

    /// Message metadata as Slack documents it: `{"event_type":"…","event_payload":{…}}`; `nil` when not given.
    private func metadata(_ arguments: JSONObject) throws(Failure) -> JSONValue? {
        guard let value = arguments["metadata"], value != .null else { return nil }
        guard let object = value.objectValue, let type = object["event_type"]?.stringValue, !type.isEmpty,
              object["event_payload"]?.objectValue != nil else {
            throw Failure("invalid_metadata_format")
        }
        return value
    }

    private func message(text: JSONValue?, blocks: JSONValue?, metadata: JSONValue?, ts: String) -> JSONValue {
        var message: JSONObject = [
            "type": .string("message"), "user": .string(SlackWorkspace.botUserID), "bot_id": .string(SlackWorkspace.botID),
            "app_id": .string(SlackWorkspace.appID), "text": text ?? .string(""), "ts": .string(ts),
        ]
        if let blocks, blocks != .null { message["blocks"] = blocks }
        if let metadata, metadata != .null { message["metadata"] = metadata }
        return .object(message)
    }

    private func postMessage(_ arguments: JSONObject, workspace: inout SlackWorkspace) throws(Failure) -> JSONObject {
        let channel = try conversation(arguments, allowUserID: true)
        let (text, blocks) = try content(arguments)
        let metadata = try metadata(arguments)
        // A reply in a thread names an existing message of the same conversation.
        let thread = arguments["thread_ts"].flatMap { $0 == .null ? nil : $0.stringValue }
        if let thread, !workspace.hasMessage(channel: channel, ts: thread) { throw Failure("thread_not_found") }
        guard workspace.admitPost(to: channel, nowMs: nowMs, pacing: config.pacing) else {
            throw Failure("ratelimited", status: 429, retryAfter: 1)
        }
        let ts = workspace.nextTimestamp(nowMs: nowMs)
        var extra: JSONObject = metadata.map { ["metadata": $0] } ?? [:]
        if let thread { extra["thread_ts"] = .string(thread) }
        workspace.record(method: "chat.postMessage", channel: channel, ts: ts, text: text, blocks: blocks, extra: extra, nowMs: nowMs)
        return ["channel": .string(channel), "ts": .string(ts), "message": message(text: text, blocks: blocks, metadata: metadata, ts: ts)]
    }

    private func update(_ arguments: JSONObject, workspace: inout SlackWorkspace) throws(Failure) -> JSONObject {
        let channel = try conversation(arguments, allowUserID: false)
        guard let ts = arguments["ts"]?.stringValue, workspace.hasMessage(channel: channel, ts: ts) else {
            throw Failure("message_not_found")
        }
        let (text, blocks) = try content(arguments)
        let given = try metadata(arguments)
        workspace.record(method: "chat.update", channel: channel, ts: ts, text: text, blocks: blocks,
                         extra: given.map { ["metadata": $0] } ?? [:], nowMs: nowMs)
        let metadata = workspace.latestMessage(channel: channel, ts: ts)?["metadata"]
        return ["channel": .string(channel), "ts": .string(ts), "text": text ?? .string(""),
                "message": message(text: text, blocks: blocks, metadata: metadata, ts: ts)]
    }

    private func postEphemeral(_ arguments: JSONObject, workspace: inout SlackWorkspace) throws(Failure) -> JSONObject {
        let channel = try conversation(arguments, allowUserID: true)
        guard let user = arguments["user"]?.stringValue, SlackWorkspace.users.contains(where: { $0.id == user }) else {
            throw Failure("user_not_in_channel")
        }
        let (text, blocks) = try content(arguments)
        let ts = workspace.nextTimestamp(nowMs: nowMs)
        workspace.record(method: "chat.postEphemeral", channel: channel, ts: ts, user: user, text: text, blocks: blocks, nowMs: nowMs)
        return ["message_ts": .string(ts)]
    }

    private func openView(_ arguments: JSONObject, workspace: inout SlackWorkspace) throws(Failure) -> JSONObject {
        guard let trigger = arguments["trigger_id"]?.stringValue, var view = arguments["view"]?.objectValue else {
            throw Failure("invalid_arguments")
        }
        if let blocks = view["blocks"], BlockKitLimits.violation(in: blocks, maxBlocks: BlockKitLimits.maxModalBlocks) != nil {
            throw Failure("invalid_blocks")
        }
        if let error = workspace.consumeTrigger(trigger, nowMs: nowMs) { throw Failure(error) }
        view = JSONObject([("id", .string(workspace.nextViewID())), ("team_id", .string(SlackWorkspace.teamID))] + view.members)
        view["hash"] = .string("\(nowMs / 1000).\(SlackWorkspace.randomHex(byteCount: 4))")
        workspace.record(method: "views.open", channel: nil, ts: nil, text: view["title"]?.objectValue?["text"],
                         blocks: view["blocks"], extra: ["trigger_id": .string(trigger), "view": .object(view)], nowMs: nowMs)
        return ["view": .object(view)]
    }

    /// `views.publish`: a user's App Home tab (`user_id`, `view` of type `home`, at most 100 blocks), kept per user
    /// (`GET /_sandbox/home/{user}`) and logged as `{"method":"views.publish","user":…,"view":…}`.
    private func publishView(_ arguments: JSONObject, workspace: inout SlackWorkspace) throws(Failure) -> JSONObject {
        guard let userID = arguments["user_id"]?.stringValue, var view = arguments["view"]?.objectValue else {
            throw Failure("invalid_arguments")
        }
        guard SlackWorkspace.user(id: userID) != nil else { throw Failure("user_not_found") }
        guard view["type"]?.stringValue == "home" else { throw Failure("invalid_arguments") }
        if BlockKitLimits.violation(in: view["blocks"] ?? .array([]), maxBlocks: BlockKitLimits.maxHomeBlocks) != nil {
            throw Failure("invalid_blocks")
        }
        view = JSONObject([("id", .string(workspace.nextViewID())), ("team_id", .string(SlackWorkspace.teamID))] + view.members)
        workspace.publishHome(view, for: userID)
        workspace.record(method: "views.publish", channel: nil, ts: nil, user: userID, text: nil, blocks: view["blocks"],
                         extra: ["view": .object(view)], nowMs: nowMs)
        return ["view": .object(view)]
    }

    /// `chat.getPermalink` (`channel`, `message_ts`): the message's permalink in the sandbox's workspace.
    private func permalink(_ arguments: JSONObject, workspace: SlackWorkspace) throws(Failure) -> JSONObject {
        let channel = try conversation(arguments, allowUserID: false)
        guard let ts = arguments["message_ts"]?.stringValue, workspace.hasMessage(channel: channel, ts: ts) else {
            throw Failure("message_not_found")
        }
        return ["channel": .string(channel),
                "permalink": .string("https://\(SlackWorkspace.teamDomain).slack.com/archives/\(channel)/p\(ts.replacing(".", with: ""))")]
    }

    /// `conversations.open` with one user id (`users=U…`): the bot's DM channel with that user. The sandbox has no
    /// group DMs, so more than one user is `too_many_users`.
    private func openConversation(_ arguments: JSONObject) throws(Failure) -> JSONObject {
        let users = (arguments["users"]?.stringValue ?? "").split(separator: ",").map { $0.trimmingCharacters() }
        guard let first = users.first else { throw Failure("users_list_not_supplied") }
        guard users.count == 1 else { throw Failure("too_many_users") }
        guard let user = SlackWorkspace.user(id: first) else { throw Failure("user_not_found") }
        return ["channel": .object(["id": .string(user.dmChannel)])]
    }

    /// `conversations.history`: the bot's messages in a channel or DM, newest first, each in its current version;
    /// `metadata` only with `include_all_metadata`, as in Slack. `limit` (default 100, at most 999) and `cursor` page.
    private func history(_ arguments: JSONObject, workspace: SlackWorkspace) throws(Failure) -> JSONObject {
        let channel = try conversation(arguments, allowUserID: false)
        let limit = try Self.limit(arguments)
        var offset = 0
        if let cursor = arguments["cursor"]?.stringValue, !cursor.isEmpty {
            guard cursor.hasPrefix(Self.cursorPrefix), let value = Int(cursor.dropFirst(Self.cursorPrefix.count)), value >= 0 else {
                throw Failure("invalid_cursor")
            }
            offset = value
        }
        let includeMetadata = Self.includesMetadata(arguments)
        let all = workspace.messages(in: channel).reversed()
        let page = all.dropFirst(offset).prefix(limit)
        let messages = page.map { entry in
            message(text: entry["text"], blocks: entry["blocks"], metadata: includeMetadata ? entry["metadata"] : nil,
                    ts: entry["ts"]?.stringValue ?? "")
        }
        let hasMore = offset + page.count < all.count
        return [
            "messages": .array(messages), "has_more": .bool(hasMore), "pin_count": .number("0"),
            "response_metadata": .object(["next_cursor": .string(hasMore ? Self.cursorPrefix + String(offset + page.count) : "")]),
        ]
    }

    /// `conversations.replies`: the thread of the message `ts` — the message itself, then its replies, oldest first;
    /// `metadata` only with `include_all_metadata`. `limit` (default 100, at most 999); no paging.
    private func replies(_ arguments: JSONObject, workspace: SlackWorkspace) throws(Failure) -> JSONObject {
        let channel = try conversation(arguments, allowUserID: false)
        guard let thread = arguments["ts"]?.stringValue, workspace.hasMessage(channel: channel, ts: thread) else {
            throw Failure("thread_not_found")
        }
        let limit = try Self.limit(arguments)
        let includeMetadata = Self.includesMetadata(arguments)
        let inThread = workspace.messages(in: channel).filter {
            $0["ts"]?.stringValue == thread || $0["thread_ts"]?.stringValue == thread
        }
        let messages = inThread.prefix(limit).map { entry in
            var reply = message(text: entry["text"], blocks: entry["blocks"], metadata: includeMetadata ? entry["metadata"] : nil,
                                ts: entry["ts"]?.stringValue ?? "").objectValue ?? JSONObject()
            reply["thread_ts"] = .string(thread)
            return JSONValue.object(reply)
        }
        return ["messages": .array(messages), "has_more": .bool(inThread.count > limit)]
    }

    private static let cursorPrefix = "sbx_offset_"

    /// A history read's `limit`: default 100, at most 999.
    private static func limit(_ arguments: JSONObject) throws(Failure) -> Int {
        let limit = arguments["limit"].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } } ?? 100
        guard (1...999).contains(limit) else { throw Failure("invalid_limit") }
        return limit
    }

    /// `include_all_metadata`, as a JSON boolean or a form's `true` / `1`.
    private static func includesMetadata(_ arguments: JSONObject) -> Bool {
        switch arguments["include_all_metadata"] {
        case .bool(let value)?: value
        case .string(let text)?: text == "true" || text == "1"
        default: false
        }
    }

    // MARK: response_url

    /// `POST /slack/response/{id}`: a JSON message for the interaction the URL came with — ephemeral to the clicking
    /// user unless `response_type` is `in_channel`, replacing the message with `replace_original`. Recorded as
    /// `{"method":"response_url",…}`; at most five posts within 30 minutes.
    private func respondToResponseURL(_ request: SandboxRequest, workspace: inout SlackWorkspace) -> SandboxResponse {
        do throws(Failure) {
            guard request.method == "POST" else { throw Failure("method_not_allowed", status: 405) }
            let id = String(request.path.dropFirst(Self.responsePathPrefix.count))
            guard let message = request.jsonBody?.objectValue else { throw Failure("invalid_payload", status: 400) }
            let target = try workspace.useResponseURL(id, nowMs: nowMs).get()
            let deletes = message["delete_original"] == .bool(true)
            let text = message["text"]
            let blocks = message["blocks"]
            if let blocks, BlockKitLimits.violation(in: blocks) != nil { throw Failure("invalid_blocks", status: 400) }
            if !deletes && (text?.stringValue ?? "").isEmpty && (blocks?.arrayValue ?? []).isEmpty {
                throw Failure("no_text", status: 400)
            }
            var extra: JSONObject = [
                "response_type": message["response_type"] ?? .null, "replace_original": message["replace_original"] ?? .null,
            ]
            for name in ["delete_original", "thread_ts"] { if let value = message[name] { extra[name] = value } }
            workspace.record(method: "response_url", channel: target.channel, ts: target.ts, user: target.user,
                             text: text, blocks: blocks, extra: extra, nowMs: nowMs)
            return .json(.object(["ok": .bool(true)]))
        } catch {
            return .json(.object(["ok": .bool(false), "error": .string(error.code)]), status: error.status)
        }
    }
}
