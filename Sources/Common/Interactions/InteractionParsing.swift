public import Core
import Domain

/// The parsing `InteractionContext` does to a signed Slack delivery before it touches the database, as one pure
/// function: the form, its `payload` JSON, the kind of interaction, our buttons' fields, and a reason modal's
/// reason. For the fuzzer (`mlc-fuzz interaction`); the handler itself does not call it.
public enum InteractionParsing {
    /// What was understood: `nil` when the delivery would be answered 400 (no parseable payload).
    public static func parse(form body: [UInt8]) -> String? {
        let fields = FormURLEncoding.parse(String(decoding: body, as: UTF8.self))
        if fields.contains(where: { $0.name == "ssl_check" && $0.value == "1" }) { return "ssl_check" }
        guard let payloadText = fields.first(where: { $0.name == "payload" })?.value,
              let payload = try? JSONParser.parse(Array(payloadText.utf8)).objectValue
        else { return nil }
        switch payload["type"]?.stringValue {
        case "block_actions":
            guard let action = payload["actions"]?.arrayValue?.first, let user = payload["user"]?["id"]?.stringValue,
                  let actionID = action["action_id"]?.stringValue
            else { return "ignored" }
            return [user, actionID, payload["trigger_id"]?.stringValue ?? "", action["value"]?.stringValue ?? "",
                    payload["response_url"]?.stringValue ?? ""].joined(separator: "|")
        case "view_submission":
            guard let view = payload["view"], view["callback_id"]?.stringValue == RejectReasonModal.callbackID,
                  let user = payload["user"]?["id"]?.stringValue
            else { return "ignored" }
            switch RejectReasonModal.reason(in: view) {
            case .success(let text): return user + "|" + text + "|" + (view["private_metadata"]?.stringValue ?? "")
            case .failure(let problem): return problem.message
            }
        default:
            return "ignored"
        }
    }

    /// The Events API body's fields read before the receipt store (`url_verification`, `event_callback`).
    public static func parse(eventsAPI body: [UInt8]) -> String? {
        guard let object = try? JSONParser.parse(body).objectValue else { return nil }
        return (object["type"]?.stringValue ?? "") + (object["event_id"]?.stringValue ?? "")
    }
}
