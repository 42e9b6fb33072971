/// The job queue's shared vocabulary (job-queue.md §A.7). Jobs are inserted by the statement that stores their
/// cause (see `EventIntake`); claiming and finalising live with the job runner.
public enum JobQueue {
    public enum Kind: String, Sendable {
        /// Read the event's document, route it and post the card.
        case deliverEvent = "deliver_event"
        /// Update the open approval card a workflow event concerns.
        case workflowEvent = "workflow_event"
    }

    /// NOTIFY channel that wakes `process-job --listen` workers.
    public static let notifyChannel = "mlc_job"
}
