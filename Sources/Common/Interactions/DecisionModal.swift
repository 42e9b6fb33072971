import Core
public import Domain
import Inbound
import Outbound

/// The modal a decision opens before it counts (with `views.open`, inside Slack's three seconds): the reason of a
/// rejection, the change asked for, or the person to delegate to (a user picker) with an optional comment.
/// `private_metadata` carries only the approval's opaque reference; `callback_id` says which decision it is.
public enum DecisionModal {
    public static let commentBlockID = "mlc.reason"
    public static let commentActionID = "mlc.reason_input"
    public static let delegateBlockID = "mlc.delegate"
    public static let delegateActionID = "mlc.delegate_user"
    public static let maxLength = 2000

    /// The decisions that open a modal (the others count at the click).
    public static func opens(for decision: ApprovalDecision) -> Bool { decision != .approve }

    /// `mlc.reject_reason`, `mlc.request_change`, `mlc.delegate`.
    public static func callbackID(for decision: ApprovalDecision) -> String {
        decision == .reject ? "mlc.reject_reason" : "mlc." + decision.rawValue
    }

    /// The decision a submitted view's `callback_id` stands for, or nil when the view is not ours.
    public static func decision(forCallbackID id: String) -> ApprovalDecision? {
        ApprovalDecision.allCases.first { opens(for: $0) && callbackID(for: $0) == id }
    }

    /// What a submission carries: the trimmed comment (nil when optional and empty) and, for a delegation, the
    /// Slack user chosen.
    public struct Answer: Equatable, Sendable {
        public let comment: String?
        public let delegate: String?
    }

    /// Why a submission cannot count: shown under the block it concerns.
    public struct Problem: Error, Equatable, Sendable {
        public let blockID: String
        public let message: String
    }

    static func view(for decision: ApprovalDecision, reference: String, summary: String) -> JSONValue {
        var blocks: [JSONValue] = []
        if !summary.isEmpty {
            blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": .string(BlockKitLimits.truncate(SlackText.escape(summary), to: 3000))]])
        }
        if decision == .delegate {
            blocks.append([
                "type": "input", "block_id": .string(delegateBlockID),
                "label": ["type": "plain_text", "text": "Delegate to"],
                "element": ["type": "users_select", "action_id": .string(delegateActionID),
                            "placeholder": ["type": "plain_text", "text": "The person who decides instead of you"]],
            ])
        }
        var comment: JSONObject = [
            "type": "input", "block_id": .string(commentBlockID),
            "label": ["type": "plain_text", "text": .string(commentLabel(decision))],
            "element": ["type": "plain_text_input", "action_id": .string(commentActionID), "multiline": true,
                        "max_length": .number(String(maxLength)),
                        "placeholder": ["type": "plain_text", "text": .string(commentPlaceholder(decision))]],
        ]
        if !decision.needsComment { comment["optional"] = true }
        blocks.append(.object(comment))
        let title: JSONValue = ["type": "plain_text", "text": .string(decision.label)]
        return [
            "type": "modal", "callback_id": .string(callbackID(for: decision)), "private_metadata": .string(reference),
            "title": title, "submit": title,
            "close": ["type": "plain_text", "text": "Cancel"],
            "blocks": .array(blocks),
        ]
    }

    /// The answer in a `view_submission` for `decision`, or what to show under the input at fault.
    static func answer(in view: JSONValue, for decision: ApprovalDecision) -> Result<Answer, Problem> {
        let values = view["state"]?["values"]
        let comment = (values?[commentBlockID]?[commentActionID]?["value"]?.stringValue ?? "").trimmingCharacters()
        if decision.needsComment && comment.isEmpty {
            return .failure(Problem(blockID: commentBlockID, message: decision == .reject ? "Please give a reason for the rejection."
                                    : "Please say what should change."))
        }
        if comment.count > maxLength {
            return .failure(Problem(blockID: commentBlockID,
                                    message: "Please keep it under \(maxLength) characters (it has \(comment.count))."))
        }
        var delegate: String?
        if decision == .delegate {
            guard let user = values?[delegateBlockID]?[delegateActionID]?["selected_user"]?.stringValue, !user.isEmpty else {
                return .failure(Problem(blockID: delegateBlockID, message: "Please choose the person to delegate to."))
            }
            delegate = user
        }
        return .success(Answer(comment: comment.isEmpty ? nil : comment, delegate: delegate))
    }

    private static func commentLabel(_ decision: ApprovalDecision) -> String {
        switch decision {
        case .reject: "Reason for rejecting"
        case .requestChange: "What should change"
        default: "Comment"
        }
    }

    private static func commentPlaceholder(_ decision: ApprovalDecision) -> String {
        switch decision {
        case .reject: "The vendor and the AP team will see this reason"
        case .requestChange: "The submitter sees this in Dynamics 365 with the document sent back"
        default: "Recorded with the delegation in Dynamics 365"
        }
    }
}
