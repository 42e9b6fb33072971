public import Core

/// How a decision is written back to the F&O workflow (DESIGN.md §7): the `validate` and `complete` actions on
/// `WorkflowWorkItems`, their parameter names and the outcome words — data, because a real environment's
/// `$metadata` may spell them differently. In bodies, `{workItem}`, `{outcome}`, `{comment}` and (for a
/// delegation) `{delegate}`, the delegate's F&O `UserID`, are replaced.
///
/// `outcomes` names the outcome F&O expects for each decision the card offers: `approve` and `reject` always,
/// `requestChange` and `delegate` when given (a card offers only what its catalog names). Each is the outcome word,
/// or `{"outcome": …, "body": {…}}` with further `complete` parameters for that outcome — a delegation must name the
/// parameter that carries `{delegate}`.
public struct WorkflowActions: Sendable {
    public struct Action: Sendable {
        /// Below `{dynamics-url}/data/`.
        public let path: String
        let body: [(name: String, template: String)]

        /// The request body for one decision; `extra` are the outcome's own parameters.
        public func body(workItem: String, outcome: String, comment: String, delegate: String = "",
                         extra: [(name: String, template: String)] = []) -> JSONValue {
            var object = JSONObject()
            for (name, template) in body + extra {
                object[name] = .string(template.replacing("{workItem}", with: workItem).replacing("{outcome}", with: outcome)
                    .replacing("{comment}", with: comment).replacing("{delegate}", with: delegate))
            }
            return .object(object)
        }
    }

    /// The outcome F&O records for one decision, with the `complete` parameters only it sends.
    public struct Outcome: Sendable {
        public let word: String
        let parameters: [(name: String, template: String)]
    }

    public let validate: Action
    public let complete: Action
    /// The outcomes the catalog names, by decision (approve and reject always).
    let outcomes: [ApprovalDecision: Outcome]

    /// The decisions a card offers, in button order.
    public var offered: [ApprovalDecision] { ApprovalDecision.allCases.filter { outcomes[$0] != nil } }

    /// The outcome word for `decision`, or nil when the catalog offers no such outcome.
    public func outcome(for decision: ApprovalDecision) -> String? { outcomes[decision]?.word }

    /// The `complete` body for `decision`, or nil when the catalog offers no such outcome.
    public func completeBody(workItem: String, decision: ApprovalDecision, comment: String, delegate: String = "") -> JSONValue? {
        guard let outcome = outcomes[decision] else { return nil }
        return complete.body(workItem: workItem, outcome: outcome.word, comment: comment, delegate: delegate, extra: outcome.parameters)
    }

    /// The `validate` body for `decision` (its outcome word, when the catalog's `validate` asks for one).
    public func validateBody(workItem: String, decision: ApprovalDecision, comment: String) -> JSONValue {
        validate.body(workItem: workItem, outcome: outcomes[decision]?.word ?? "", comment: comment)
    }

    /// The parameters each outcome adds to `complete`, for `catalog check`.
    var outcomeParameters: [(decision: ApprovalDecision, names: [String])] {
        offered.compactMap { decision in
            outcomes[decision].flatMap { $0.parameters.isEmpty ? nil : (decision, $0.parameters.map(\.name)) }
        }
    }

    /// The catalog's name of a decision's outcome (`requestChange`).
    public static func catalogName(_ decision: ApprovalDecision) -> String {
        switch decision {
        case .approve: "approve"
        case .reject: "reject"
        case .requestChange: "requestChange"
        case .delegate: "delegate"
        }
    }

    init(json: CatalogJSON) throws(CatalogError) {
        let object = try json.object(allowing: ["validate", "complete", "outcomes"])
        func parameters(_ member: CatalogJSON) throws(CatalogError) -> [(name: String, template: String)] {
            var body: [(String, String)] = []
            for (key, value) in try member.members() { body.append((key, try value.string())) }
            return body
        }
        func action(_ name: String) throws(CatalogError) -> Action {
            let member = try object.required(name).object(allowing: ["path", "body"])
            return Action(path: try member.required("path").string(), body: try parameters(member.required("body")))
        }
        validate = try action("validate")
        complete = try action("complete")
        let names = ApprovalDecision.allCases.map(Self.catalogName)
        let outcomesJSON = try object.required("outcomes").object(allowing: Set(names))
        var outcomes: [ApprovalDecision: Outcome] = [:]
        for decision in ApprovalDecision.allCases {
            let name = Self.catalogName(decision)
            let member = decision == .approve || decision == .reject ? try outcomesJSON.required(name) : outcomesJSON.member(name)
            guard let member else { continue }
            let outcome: Outcome
            if case .object = member.value {
                let detailed = try member.object(allowing: ["outcome", "body"])
                outcome = Outcome(word: try detailed.required("outcome").string(),
                                  parameters: try detailed.member("body").map { json throws(CatalogError) in try parameters(json) } ?? [])
            } else {
                outcome = Outcome(word: try member.string(), parameters: [])
            }
            if decision == .delegate,
               !(complete.body + outcome.parameters).contains(where: { $0.template.contains("{delegate}") }) {
                throw member.error("a delegation must pass {delegate} (the delegate's F&O UserID) in a parameter, "
                                   + "e.g. {\"outcome\": \"Delegate\", \"body\": {\"DelegateUserId\": \"{delegate}\"}}")
            }
            outcomes[decision] = outcome
        }
        self.outcomes = outcomes
    }
}
