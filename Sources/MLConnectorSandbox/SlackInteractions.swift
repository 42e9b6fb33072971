import Core
import Domain
import Outbound
import Interactions

/// The requests Slack sends to an app's Interactivity Request URL, built from what the bot posted and opened in the
/// sandbox: a `block_actions` payload for a button click and a `view_submission` for a modal, each as
/// `payload=<percent-encoded JSON>` signed with the signing secret (`v0` scheme), as Slack signs them; and the
/// Events API's `app_home_opened` `event_callback` (JSON, signed the same way) for its Event Subscriptions URL.
struct SlackInteractions {
    /// Why no payload could be built: 404 for an unknown message, button or view, 400 for bad parameters.
    struct Failure: Error {
        let status: Int
        let reason: String
        var details: JSONObject = [:]
    }

    /// One signed request, ready to send.
    struct Signed {
        let timestamp: String
        let signature: String
        /// `payload=<percent-encoded JSON>`, or the event's JSON.
        let body: String
        let triggerID: String
        var contentType = "application/x-www-form-urlencoded"
        /// Further members of the control API's answer (`view_id` of a submission, `event_id` of an event).
        var extra: JSONObject = [:]

        var headers: [(name: String, value: String)] {
            [("Content-Type", contentType), ("X-Slack-Request-Timestamp", timestamp), ("X-Slack-Signature", signature)]
        }

        /// `{"headers":{…},"body":"payload=…","trigger_id":"…",…}`.
        var answer: JSONObject {
            var answer: JSONObject = [
                "headers": .object(JSONObject(headers.map { (key: $0.name, value: JSONValue.string($0.value)) })),
                "body": .string(body), "trigger_id": .string(triggerID),
            ]
            for member in extra.members { answer[member.key] = member.value }
            return answer
        }
    }

    let signingSecret: String
    /// The sandbox's base URL, for `response_url`.
    let baseURL: String
    let nowMs: Int64

    // MARK: block_actions

    /// A click on the button `action_id` of the current version of the message `ts` in `channel` (a channel id, a
    /// DM id or a user id meaning that user's DM), by `user` (default: the owner of the DM).
    func blockActions(_ parameters: JSONObject, workspace: inout SlackWorkspace) throws(Failure) -> Signed {
        let channelArgument = try Self.string(parameters, "channel")
        let ts = try Self.string(parameters, "ts")
        let actionID = try Self.string(parameters, "action_id")
        guard case .success(let channel) = SlackWorkspace.conversation(for: channelArgument, allowUserID: true) else {
            throw Failure(status: 404, reason: "unknown channel '\(channelArgument)'")
        }
        guard let entry = workspace.latestMessage(channel: channel, ts: ts) else {
            throw Failure(status: 404, reason: "no message with ts \(ts) in \(channel) (GET /_sandbox/messages lists them)")
        }
        let blocks = Self.withBlockIDs(entry["blocks"]?.arrayValue ?? [], ts: ts)
        guard let (blockID, button) = Self.button(actionID, in: blocks) else {
            let known = Self.buttons(in: blocks).compactMap { $0.button["action_id"]?.stringValue }
            throw Failure(status: 404, reason: "the message \(ts) in \(channel) has no button with action_id '\(actionID)'",
                          details: ["action_ids": .array(known.map(JSONValue.string))])
        }
        let user = try Self.user(parameters, default: SlackWorkspace.users.first { $0.dmChannel == channel }?.id)

        let text = entry["text"].flatMap { $0 == .null ? nil : $0 } ?? .string("")
        let triggerID = workspace.issueTrigger(nowMs: nowMs, user: user.id)
        let responseID = workspace.issueResponseURL(channel: channel, ts: ts, user: user.id, nowMs: nowMs)
        var action: JSONObject = ["type": .string("button"), "action_id": .string(actionID), "block_id": .string(blockID)]
        if let value = button["value"] { action["value"] = value }
        action["text"] = Self.plainText(button["text"])
        if let style = button["style"] { action["style"] = style }
        action["action_ts"] = .string(actionTimestamp)

        let payload: JSONValue = [
            "type": "block_actions",
            "user": Self.userJSON(user),
            "api_app_id": .string(SlackWorkspace.appID),
            "token": .string(SlackWorkspace.verificationToken),
            "container": [
                "type": "message", "message_ts": .string(ts), "channel_id": .string(channel), "is_ephemeral": false,
            ],
            "trigger_id": .string(triggerID),
            "team": Self.teamJSON,
            "enterprise": .null,
            "is_enterprise_install": false,
            "channel": ["id": .string(channel), "name": .string(SlackWorkspace.channelName(channel))],
            "message": [
                "type": "message", "ts": .string(ts), "bot_id": .string(SlackWorkspace.botID),
                "text": text, "blocks": .array(blocks),
            ],
            "state": ["values": [:]],
            "response_url": .string(baseURL + SlackRoutes.responsePathPrefix + responseID),
            "actions": [.object(action)],
        ]
        return try sign(payload, triggerID: triggerID, parameters: parameters)
    }

    // MARK: view_submission

    /// A submission of the modal `view_id` (default: the latest `views.open`) by `user` (default: whoever's
    /// interaction issued the trigger that opened it), with `values` (`{block_id:{action_id:text}}`) or `text` for
    /// the view's first input block; inputs without a value are submitted empty (`null`).
    func viewSubmission(_ parameters: JSONObject, workspace: inout SlackWorkspace) throws(Failure) -> Signed {
        let viewID = try Self.optionalString(parameters, "view_id")
        guard let entry = workspace.openedView(id: viewID), let view = entry["view"]?.objectValue,
              let id = view["id"]?.stringValue else {
            throw Failure(status: 404, reason: viewID.map { "no view \($0) was opened with views.open" } ?? "no view was opened with views.open")
        }
        let opener = entry["trigger_id"]?.stringValue.flatMap { workspace.user(ofTrigger: $0) }
        let user = try Self.user(parameters, default: opener)

        let inputs = Self.inputs(of: view)
        var typed: [String: [String: String]] = [:]
        switch (parameters["values"], parameters["text"]) {
        case (nil, nil):
            break
        case (let values?, nil):
            guard let values = values.objectValue else { throw Failure(status: 400, reason: "values must be {block_id:{action_id:text}}") }
            for (blockID, actions) in values.members {
                guard let actions = actions.objectValue else { throw Failure(status: 400, reason: "values must be {block_id:{action_id:text}}") }
                for (actionID, text) in actions.members {
                    guard let text = text.stringValue else { throw Failure(status: 400, reason: "values must be {block_id:{action_id:text}}") }
                    guard inputs.contains(where: { $0.blockID == blockID && $0.actionID == actionID }) else {
                        throw Failure(status: 400, reason: "the view \(id) has no input \(blockID)/\(actionID)")
                    }
                    typed[blockID, default: [:]][actionID] = text
                }
            }
        case (nil, let text?):
            guard let text = text.stringValue else { throw Failure(status: 400, reason: "text must be a string") }
            guard let first = inputs.first else { throw Failure(status: 400, reason: "the view \(id) has no input block") }
            typed[first.blockID] = [first.actionID: text]
        case (_?, _?):
            throw Failure(status: 400, reason: "give values or text, not both")
        }
        var stateValues = JSONObject()
        for input in inputs {
            var actions = stateValues[input.blockID]?.objectValue ?? [:]
            let text = typed[input.blockID]?[input.actionID]
            if input.type == "users_select" {
                // A user picker submits the chosen member's id as `selected_user`, as Slack does.
                if let text, SlackWorkspace.user(id: text) == nil {
                    throw Failure(status: 400, reason: "\(text) is no user of the workspace (users_select takes a U… id)")
                }
                actions[input.actionID] = ["type": .string(input.type), "selected_user": text.map(JSONValue.string) ?? .null]
            } else {
                actions[input.actionID] = ["type": .string(input.type), "value": text.map(JSONValue.string) ?? .null]
            }
            stateValues[input.blockID] = .object(actions)
        }

        let triggerID = workspace.issueTrigger(nowMs: nowMs, user: user.id)
        var submitted: JSONObject = [
            "id": .string(id), "team_id": .string(SlackWorkspace.teamID), "type": view["type"] ?? "modal",
            "callback_id": view["callback_id"] ?? "", "private_metadata": view["private_metadata"] ?? "",
            "title": view["title"] ?? .null, "blocks": .array(Self.withBlockIDs(view["blocks"]?.arrayValue ?? [], ts: id)),
            "state": ["values": .object(stateValues)],
            "hash": view["hash"] ?? .string("\(nowMs / 1000).\(SlackWorkspace.randomHex(byteCount: 4))"),
            "root_view_id": .string(id), "previous_view_id": .null, "app_id": .string(SlackWorkspace.appID),
        ]
        for name in ["submit", "close", "external_id"] { if let value = view[name] { submitted[name] = value } }
        let payload: JSONValue = [
            "type": "view_submission",
            "team": Self.teamJSON,
            "user": Self.userJSON(user),
            "api_app_id": .string(SlackWorkspace.appID),
            "token": .string(SlackWorkspace.verificationToken),
            "trigger_id": .string(triggerID),
            "view": .object(submitted),
            "response_urls": [],
        ]
        var signed = try sign(payload, triggerID: triggerID, parameters: parameters)
        signed.extra["view_id"] = .string(id)
        return signed
    }

    // MARK: app_home_opened

    /// The `event_callback` Slack sends when `user` opens the app's Home tab (`tab`: `home`, default, or
    /// `messages`), with `event_id` when given (a repeated delivery), else a fresh one; `view` is the Home the user
    /// sees, when one was published.
    func appHomeOpened(_ parameters: JSONObject, workspace: SlackWorkspace) throws(Failure) -> Signed {
        let user = try Self.user(parameters, default: nil)
        let tab = try Self.optionalString(parameters, "tab") ?? "home"
        guard tab == "home" || tab == "messages" else { throw Failure(status: 400, reason: "tab must be home or messages") }
        let eventID = try Self.optionalString(parameters, "event_id") ?? "Ev0SBX" + SlackWorkspace.randomHex(byteCount: 6).uppercased()
        var event: JSONObject = [
            "type": "app_home_opened", "user": .string(user.id), "channel": .string(user.dmChannel), "tab": .string(tab),
            "event_ts": .string(actionTimestamp),
        ]
        if tab == "home", let view = workspace.homes[user.id]?.view { event["view"] = .object(view) }
        let callback: JSONValue = [
            "token": .string(SlackWorkspace.verificationToken),
            "team_id": .string(SlackWorkspace.teamID),
            "api_app_id": .string(SlackWorkspace.appID),
            "event": .object(event),
            "type": "event_callback",
            "event_id": .string(eventID),
            "event_time": .number(String(nowMs / 1000)),
            "authorizations": [["enterprise_id": .null, "team_id": .string(SlackWorkspace.teamID), "user_id": .string(SlackWorkspace.botUserID),
                                "is_bot": true, "is_enterprise_install": false]],
            "is_ext_shared_channel": false,
        ]
        var signed = try sign(body: callback.serialized(), parameters: parameters)
        signed.contentType = "application/json"
        signed.extra["event_id"] = .string(eventID)
        return signed
    }

    // MARK: Signing

    /// `payload=<percent-encoded JSON>`, signed as `sign(body:)` does.
    private func sign(_ payload: JSONValue, triggerID: String, parameters: JSONObject) throws(Failure) -> Signed {
        try sign(body: "payload=" + FormURLEncoding.percentEncode(payload.serialized()), triggerID: triggerID, parameters: parameters)
    }

    /// `body` signed at now + `timestamp_offset` seconds: `v0=hex(HMAC-SHA256(secret, "v0:<timestamp>:<body>"))`.
    private func sign(body: String, triggerID: String = "", parameters: JSONObject) throws(Failure) -> Signed {
        var offset = 0
        if let value = parameters["timestamp_offset"] {
            guard let seconds = value.intValue else { throw Failure(status: 400, reason: "timestamp_offset must be an integer (seconds)") }
            offset = seconds
        }
        let timestamp = String(nowMs / 1000 + Int64(offset))
        return Signed(timestamp: timestamp, signature: Self.signature(secret: signingSecret, timestamp: timestamp, body: body),
                      body: body, triggerID: triggerID)
    }

    static func signature(secret: String, timestamp: String, body: String) -> String {
        "v0=" + Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), message: Array("v0:\(timestamp):\(body)".utf8)))
    }

    // MARK: Helpers

    /// `<seconds>.<microseconds>`, as Slack writes `action_ts`.
    private var actionTimestamp: String {
        let micros = String((nowMs % 1000) * 1000)
        return "\(nowMs / 1000)." + String(repeating: "0", count: 6 - micros.count) + micros
    }

    private static let teamJSON: JSONValue = ["id": .string(SlackWorkspace.teamID), "domain": .string(SlackWorkspace.teamDomain)]

    private static func userJSON(_ user: SlackWorkspace.User) -> JSONValue {
        ["id": .string(user.id), "username": .string(user.name), "name": .string(user.name), "team_id": .string(SlackWorkspace.teamID)]
    }

    /// A plain_text object as Slack echoes it, with `emoji: true` unless the app said otherwise.
    private static func plainText(_ value: JSONValue?) -> JSONValue {
        guard var text = value?.objectValue else { return value ?? .null }
        if text["type"]?.stringValue == "plain_text" && text["emoji"] == nil { text["emoji"] = true }
        return .object(text)
    }

    private static func string(_ parameters: JSONObject, _ name: String) throws(Failure) -> String {
        guard let value = try optionalString(parameters, name), !value.isEmpty else { throw Failure(status: 400, reason: "\(name) is required") }
        return value
    }

    private static func optionalString(_ parameters: JSONObject, _ name: String) throws(Failure) -> String? {
        guard let value = parameters[name], value != .null else { return nil }
        guard let text = value.stringValue else { throw Failure(status: 400, reason: "\(name) must be a string") }
        return text
    }

    private static func user(_ parameters: JSONObject, default fallback: String?) throws(Failure) -> SlackWorkspace.User {
        guard let id = try optionalString(parameters, "user") ?? fallback else {
            throw Failure(status: 400, reason: "user is required (a Slack user id such as U04ALICIA)")
        }
        guard let user = SlackWorkspace.user(id: id) else {
            throw Failure(status: 400, reason: "unknown user '\(id)'; known: \(SlackWorkspace.users.map(\.id).joined(separator: ", "))")
        }
        return user
    }

    /// The blocks with a `block_id` on each, as Slack stores them: a block posted without one gets a stable id.
    private static func withBlockIDs(_ blocks: [JSONValue], ts: String) -> [JSONValue] {
        blocks.enumerated().map { index, block in
            guard var object = block.objectValue, object["block_id"] == nil else { return block }
            object["block_id"] = .string(String(Digest.hex(Digest.sha256("\(ts) \(index)")).prefix(5)))
            return .object(object)
        }
    }

    /// Every button of the blocks (in `actions` blocks and as section accessories) with its block's id.
    private static func buttons(in blocks: [JSONValue]) -> [(blockID: String, button: JSONObject)] {
        blocks.compactMap(\.objectValue).flatMap { block -> [(blockID: String, button: JSONObject)] in
            let elements = (block["elements"]?.arrayValue ?? []) + (block["accessory"].map { [$0] } ?? [])
            return elements.compactMap(\.objectValue).filter { $0["type"]?.stringValue == "button" }
                .map { (block["block_id"]?.stringValue ?? "", $0) }
        }
    }

    private static func button(_ actionID: String, in blocks: [JSONValue]) -> (blockID: String, button: JSONObject)? {
        buttons(in: blocks).first { $0.button["action_id"]?.stringValue == actionID }
    }

    /// The view's input blocks: block id, action id and element type.
    private static func inputs(of view: JSONObject) -> [(blockID: String, actionID: String, type: String)] {
        withBlockIDs(view["blocks"]?.arrayValue ?? [], ts: view["id"]?.stringValue ?? "").compactMap { block in
            guard let block = block.objectValue, block["type"]?.stringValue == "input",
                  let blockID = block["block_id"]?.stringValue, let element = block["element"]?.objectValue else { return nil }
            let actionID = element["action_id"]?.stringValue ?? String(Digest.hex(Digest.sha256(blockID)).prefix(5))
            return (blockID, actionID, element["type"]?.stringValue ?? "plain_text_input")
        }
    }
}
