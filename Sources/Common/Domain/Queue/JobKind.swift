/// What a job does; stored in `job.kind`.
public enum JobKind: String, Sendable, CaseIterable {
    /// Read the event's document, route it and post the card.
    case deliverEvent = "deliver_event"
    /// Update the open approval card a workflow event concerns.
    case workflowEvent = "workflow_event"
    /// Post one rendered card to one Slack channel (paced per channel).
    case postMessage = "post_message"
    /// Write an approver's decision to the F&O workflow and update the card.
    case decideApproval = "decide_approval"
}
