public import Core

/// How a decision is written back to the F&O workflow (DESIGN.md §7): the `validate` and `complete` actions on
/// `WorkflowWorkItems`, their parameter names and the outcome words — data, because a real environment's
/// `$metadata` may spell them differently. In bodies, `{workItem}`, `{outcome}` and `{comment}` are replaced.
public struct WorkflowActions: Sendable {
    public struct Action: Sendable {
        /// Below `{dynamics-url}/data/`.
        public let path: String
        let body: [(name: String, template: String)]

        /// The request body for one decision.
        public func body(workItem: String, outcome: String, comment: String) -> JSONValue {
            var object = JSONObject()
            for (name, template) in body {
                object[name] = .string(template.replacing("{workItem}", with: workItem).replacing("{outcome}", with: outcome)
                    .replacing("{comment}", with: comment))
            }
            return .object(object)
        }
    }

    public let validate: Action
    public let complete: Action
    /// The outcome words F&O expects for `approve` and `reject`.
    public let approveOutcome: String
    public let rejectOutcome: String

    init(json: CatalogJSON) throws(CatalogError) {
        let object = try json.object(allowing: ["validate", "complete", "outcomes"])
        func action(_ name: String) throws(CatalogError) -> Action {
            let member = try object.required(name).object(allowing: ["path", "body"])
            var body: [(String, String)] = []
            for (key, value) in try member.required("body").members() { body.append((key, try value.string())) }
            return Action(path: try member.required("path").string(), body: body)
        }
        validate = try action("validate")
        complete = try action("complete")
        let outcomes = try object.required("outcomes").object(allowing: ["approve", "reject"])
        approveOutcome = try outcomes.required("approve").string()
        rejectOutcome = try outcomes.required("reject").string()
    }
}
