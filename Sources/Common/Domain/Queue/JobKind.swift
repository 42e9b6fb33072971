/// What a job does; stored in `job.kind`.
public enum JobKind: String, Sendable, CaseIterable {
    /// Read the event's document, route it and post the card.
    case deliverEvent = "deliver_event"
    /// Re-read the work item a workflow event names and close its card when F&O says it is no longer pending.
    case workflowEvent = "workflow_event"
    /// Post one rendered card to one Slack channel (paced per channel).
    case postMessage = "post_message"
    /// Post a digest route's waiting notices for one channel as one message at its time (paced per channel).
    case postDigest = "post_digest"
    /// Write an approver's decision to the F&O workflow, exactly once, settling a lost answer by reading the work item.
    case decideApproval = "decide_approval"
    /// Redraw an approval card for its current state.
    case updateCard = "update_card"
    /// Remind a pending approval's approver in the card's thread at one point before F&O's due time.
    case remindApproval = "remind_approval"
    /// Publish a person's App Home ("My approvals") as their approvals now stand.
    case publishHome = "publish_home"

    /// The kinds that start from the stored business event: the claim returns its payload with the job.
    public static let readingEvent: [JobKind] = [.deliverEvent, .workflowEvent]
}
