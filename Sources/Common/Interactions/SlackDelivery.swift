public import Core
public import Domain

/// What a signed Slack delivery asks for, read from its body before the database is touched (DESIGN.md §5.2): one
/// pure parse shared by the handler and the fuzzer (`mlc-fuzz interaction`). A body that cannot be understood is a
/// `BadRequest` (answered 400); anything well-formed that is not for us is `.ignored` (answered 200).
public enum SlackDelivery: Equatable, Sendable {
    /// A click on one of our card's buttons.
    public struct Click: Equatable, Sendable {
        public let user: String
        /// The button's decision (from its `action_id`).
        public let decision: ApprovalDecision
        public let trigger: String
        /// The approval's opaque reference (the button's value).
        public let reference: String
        public let responseURL: String?
    }

    /// A decision's modal submitted (`DecisionModal`).
    public struct Submission: Equatable, Sendable {
        public let user: String
        public let decision: ApprovalDecision
        /// The comment and delegate, or what to show under the input at fault.
        public let answer: Result<DecisionModal.Answer, DecisionModal.Problem>
        public let reference: String
        /// Identifies the submission for deduplication (Slack's `trigger_id`, else the view id).
        public let submission: String
    }

    public struct BadRequest: Error, Equatable { public let message: String }

    case sslCheck
    case ignored
    case click(Click)
    case submission(Submission)
    case urlVerification(challenge: JSONValue)
    case eventCallback(eventID: String, type: String)
    /// `app_home_opened` on the Home tab (the Messages tab sends it too, with `tab: messages`): the person's
    /// "My approvals" is to be published.
    case homeOpened(eventID: String, user: String)

    /// An interactivity delivery: a form with `payload=<JSON>` (or Slack's `ssl_check`).
    public static func parse(form body: [UInt8]) throws(BadRequest) -> SlackDelivery {
        let fields = FormURLEncoding.parse(String(decoding: body, as: UTF8.self))
        if fields.contains(where: { $0.name == "ssl_check" && $0.value == "1" }) { return .sslCheck }
        guard let payloadText = fields.first(where: { $0.name == "payload" })?.value,
              let payload = try? JSONParser.parse(Array(payloadText.utf8)).objectValue
        else { throw BadRequest(message: "missing or malformed payload") }
        switch payload["type"]?.stringValue {
        case "block_actions":
            guard let action = payload["actions"]?.arrayValue?.first, let user = payload["user"]?["id"]?.stringValue,
                  let decision = action["action_id"]?.stringValue.flatMap(ApprovalButtons.decision(forActionID:))
            else { return .ignored }  // not one of our buttons
            return .click(Click(user: user, decision: decision, trigger: payload["trigger_id"]?.stringValue ?? "",
                                reference: action["value"]?.stringValue ?? "", responseURL: payload["response_url"]?.stringValue))
        case "view_submission":
            guard let view = payload["view"], let decision = view["callback_id"]?.stringValue.flatMap(DecisionModal.decision(forCallbackID:)),
                  let user = payload["user"]?["id"]?.stringValue
            else { return .ignored }
            return .submission(Submission(user: user, decision: decision, answer: DecisionModal.answer(in: view, for: decision),
                                          reference: view["private_metadata"]?.stringValue ?? "",
                                          submission: payload["trigger_id"]?.stringValue ?? view["id"]?.stringValue ?? ""))
        default:
            return .ignored
        }
    }

    /// An Events API delivery (JSON).
    public static func parse(eventsAPI body: [UInt8]) throws(BadRequest) -> SlackDelivery {
        guard let object = try? JSONParser.parse(body).objectValue else { throw BadRequest(message: "malformed JSON") }
        switch object["type"]?.stringValue {
        case "url_verification":
            return .urlVerification(challenge: object["challenge"] ?? "")
        case "event_callback":
            guard let eventID = object["event_id"]?.stringValue else { throw BadRequest(message: "event_callback without event_id") }
            let event = object["event"]
            let type = event?["type"]?.stringValue ?? ""
            if type == "app_home_opened", event?["tab"]?.stringValue == "home", let user = event?["user"]?.stringValue, !user.isEmpty {
                return .homeOpened(eventID: eventID, user: user)
            }
            return .eventCallback(eventID: eventID, type: type)
        default:
            return .ignored
        }
    }
}
