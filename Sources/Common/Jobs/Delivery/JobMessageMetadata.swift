import Core

/// The Slack message `metadata` a job's post carries (`event_type`, `event_payload.job_id`), so that a retry whose
/// earlier answer was lost can find its own message (in the channel's history or the thread's replies) instead of
/// posting again.
struct JobMessageMetadata {
    let eventType: String
    let jobID: Int64

    /// The `metadata` argument of `chat.postMessage`.
    var json: JSONValue {
        .object(["event_type": .string(eventType), "event_payload": .object(["job_id": .string(String(jobID))])])
    }

    /// Whether a message Slack returned (asked with `include_all_metadata`) is this job's.
    func marks(_ message: JSONValue) -> Bool {
        message["metadata"]?["event_type"]?.stringValue == eventType
            && message["metadata"]?["event_payload"]?["job_id"]?.stringValue == String(jobID)
    }
}
