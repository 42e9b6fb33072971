import Core
import Domain

extension JobStore {
    /// An `update_card` job: the approval's card redrawn for its state at the time the job runs.
    func enqueueCardUpdate(approvalID: Int64, connectionID: Int64, eventRow: Int64?, eventID: String?) throws {
        var args: JSONObject = ["approval_id": .number(String(approvalID))]
        if let eventID { args["event_id"] = .string(eventID) }
        try enqueue(.updateCard, connectionID: connectionID, businessEventRowID: eventRow, args: args, dedupeKey: nil)
    }
}
