/// A work item as F&O reports it (`WorkflowWorkItems(Id=…)`): its `Status` and `UserId`, its `DueDateTime` and
/// `EscalationLevel`, or that it is gone.
public struct WorkItemReading: Sendable, Equatable {
    /// `WorkflowWorkItemStatus` as F&O spelled it; nil when the work item was not found.
    public let status: String?
    /// Its `UserId`: the user F&O assigned it to.
    public let userID: String?

    /// `DueDateTime`, Unix seconds; nil when F&O sets none.
    public let due: Int64?
    /// `EscalationLevel`; nil when F&O sends none.
    public let escalationLevel: Int?

    public init(status: String?, userID: String?, due: Int64? = nil, escalationLevel: Int? = nil) {
        self.status = status
        self.userID = userID
        self.due = due
        self.escalationLevel = escalationLevel
    }

    public static let notFound = WorkItemReading(status: nil, userID: nil)

    public var isPending: Bool { status?.lowercased() == WorkItemSchema.Status.pending.rawValue.lowercased() }

    func isAssigned(to assignee: String) -> Bool {
        userID?.lowercased() == assignee.lowercased()
    }
}
