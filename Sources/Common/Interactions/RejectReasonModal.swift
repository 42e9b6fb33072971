import Core
import Domain
import Inbound
import Outbound

/// The modal that asks for the reason of a rejection (opened with `views.open` inside Slack's three seconds).
public enum RejectReasonModal {
    public static let callbackID = "mlc.reject_reason"
    public static let blockID = "mlc.reason"
    public static let actionID = "mlc.reason_input"
    public static let maxLength = 2000

    /// The view; `private_metadata` carries only the approval's opaque reference.
    static func view(reference: String, summary: String) -> JSONValue {
        var blocks: [JSONValue] = []
        if !summary.isEmpty {
            blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": .string(BlockKitLimits.truncate(SlackText.escape(summary), to: 3000))]])
        }
        blocks.append([
            "type": "input", "block_id": .string(blockID),
            "label": ["type": "plain_text", "text": "Reason for rejecting"],
            "element": ["type": "plain_text_input", "action_id": .string(actionID), "multiline": true,
                        "max_length": .number(String(maxLength)),
                        "placeholder": ["type": "plain_text", "text": "The vendor and the AP team will see this reason"]],
        ])
        return [
            "type": "modal", "callback_id": .string(callbackID), "private_metadata": .string(reference),
            "title": ["type": "plain_text", "text": "Reject"],
            "submit": ["type": "plain_text", "text": "Reject"],
            "close": ["type": "plain_text", "text": "Cancel"],
            "blocks": .array(blocks),
        ]
    }

    /// The trimmed reason from a `view_submission`, or the message to show under the input.
    static func reason(in view: JSONValue) -> Result<String, ReasonProblem> {
        let raw = view["state"]?["values"]?[blockID]?[actionID]?["value"]?.stringValue ?? ""
        let reason = raw.trimmingCharacters()
        if reason.isEmpty { return .failure(ReasonProblem(message: "Please give a reason for the rejection.")) }
        if reason.count > maxLength {
            return .failure(ReasonProblem(message: "Please keep the reason under \(maxLength) characters (it has \(reason.count))."))
        }
        return .success(reason)
    }

    public struct ReasonProblem: Error, Equatable, Sendable { public let message: String }
}
