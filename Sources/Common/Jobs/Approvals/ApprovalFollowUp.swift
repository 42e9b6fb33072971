import Core
import Domain
import Outbound

/// What follows a change of an approval's state: its card redrawn by an `update_card` job (retried until it
/// lands), and, when F&O reassigned the work item, a fresh delivery so the new assignee gets a card of their own.
struct ApprovalFollowUp {
    let db: PostgresConnection
    let caller: OutboundCaller

    /// Applies `settlement` (a `.settle`) and follows up; the approval as it now is, or nil when the state had moved.
    @discardableResult
    func settle(_ approval: ApprovalRecord, _ transition: ApprovalTransition, note: String?, reassignedTo: String?) throws
        -> ApprovalRecord? {
        guard let settled = try ApprovalStore(db).apply(transition, approvalID: approval.id, note: note) else { return nil }
        caller.record(action: "approval.settled", detail: "work item \(approval.workItemID): \(approval.state.rawValue) → "
                      + settled.state.rawValue + (note.map { " (\($0))" } ?? ""))
        try cardChanged(settled)
        if let reassignedTo, let eventRow = approval.businessEventRowID {
            try JobStore(db).enqueue(.deliverEvent, connectionID: approval.connectionID, businessEventRowID: eventRow,
                                     args: approval.eventID.map { ["event_id": .string($0)] } ?? [:],
                                     dedupeKey: "deliver:\(eventRow):\(reassignedTo.lowercased())")
        }
        return settled
    }

    /// Queues the redraw of the approval's card (nothing to draw until its post is recorded; the post job then
    /// queues it itself), and the refresh of the approver's App Home.
    func cardChanged(_ approval: ApprovalRecord) throws {
        try Self.homeChanged(approval, in: db)
        guard approval.messageTS != nil else { return }
        try JobStore(db).enqueueCardUpdate(approvalID: approval.id, connectionID: approval.connectionID,
                                           eventRow: approval.businessEventRowID, eventID: approval.eventID)
    }

    /// Queues the refresh of the approver's App Home, when they have ever opened it (nobody else is sent one).
    static func homeChanged(_ approval: ApprovalRecord, in db: PostgresConnection) throws {
        guard let user = approval.approverSlackID,
              try AppHomeStore(db).hasOpened(connectionID: approval.connectionID, slackUserID: user) else { return }
        try JobStore(db).enqueueHomePublish(connectionID: approval.connectionID, slackUserID: user)
    }
}
