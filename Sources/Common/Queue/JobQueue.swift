/// The job queue's shared vocabulary (job-queue.md §A.7). Jobs are inserted by the statement that stores their
/// cause (see `EventIntake`); claiming and finalising live with the job runner.
public enum JobQueue {
    public enum Kind: String, Sendable {
        /// Read the event's document, route it and post the card.
        case deliverEvent = "deliver_event"
        /// Update the open approval card a workflow event concerns.
        case workflowEvent = "workflow_event"
        /// Post one rendered card to one Slack channel (paced per channel).
        case postMessage = "post_message"
        /// Write an approver's decision to the F&O workflow and update the card.
        case decideApproval = "decide_approval"
    }

    /// The pacing bucket shared by every F&O call of a connection.
    public static func dynamicsRateKey(_ connectionID: Int64) -> String { "dynamics:\(connectionID)" }

    /// The pacing bucket of one Slack channel (`Configuration.slackChannelIntervalMilliseconds`).
    public static func slackRateKey(connectionID: Int64, channel: String) -> String { "slack:\(connectionID):\(channel)" }

    /// NOTIFY channel that wakes `process-job --listen` workers.
    public static let notifyChannel = "mlc_job"
}
