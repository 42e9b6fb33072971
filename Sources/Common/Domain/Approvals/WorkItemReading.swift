/// A work item as F&O reports it (`WorkflowWorkItems(Id=…)`): its `Status` and `UserId`, or that it is gone.
public struct WorkItemReading: Sendable, Equatable {
    /// `WorkflowWorkItemStatus` as F&O spelled it; nil when the work item was not found.
    public let status: String?
    /// Its `UserId`: the user F&O assigned it to.
    public let userID: String?

    public init(status: String?, userID: String?) {
        self.status = status
        self.userID = userID
    }

    public static let notFound = WorkItemReading(status: nil, userID: nil)

    public var isPending: Bool { status?.lowercased() == WorkItemSchema.Status.pending.rawValue.lowercased() }

    func isAssigned(to assignee: String) -> Bool {
        userID?.lowercased() == assignee.lowercased()
    }
}
