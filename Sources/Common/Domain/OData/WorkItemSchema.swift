/// The F&O names ml-connector's own approval code reads, beyond what the event catalog names
/// (`reference/fo-schema.json`): the work item, its status enum, and the system user behind its `UserId`.
/// `ml-connector catalog check` checks these against an environment's `$metadata` together with the catalog.
public enum WorkItemSchema {
    public static let entitySet = "WorkflowWorkItems"
    /// `Edm.Guid`, the only key.
    public static let key = "Id"
    public static let status = "Status"
    public static let userID = "UserId"
    public static let subject = "Subject"
    public static let dueDateTime = "DueDateTime"
    /// `Edm.Int32`: grows each time F&O escalates the work item (to another user).
    public static let escalationLevel = "EscalationLevel"

    /// `Microsoft.Dynamics.DataEntities.WorkflowWorkItemStatus`.
    public static let statusEnum = "WorkflowWorkItemStatus"
    public enum Status: String, Sendable, CaseIterable {
        case pending = "Pending"
        case delegated = "Delegated"
        case completed = "Completed"
        case failed = "Failed"
    }

    /// The user a work item is assigned to: `SystemUsers(UserID='…')`, whose `Email` is the Slack lookup key.
    public static let userEntitySet = "SystemUsers"
    public static let userKey = "UserID"
    public static let userEmail = "Email"

    /// Every (entity set, property) pair above, for `catalog check`.
    public static let properties: [(entitySet: String, property: String)] = [
        (entitySet, key), (entitySet, status), (entitySet, userID), (entitySet, subject), (entitySet, dueDateTime), (entitySet, escalationLevel),
        (userEntitySet, userKey), (userEntitySet, userEmail),
    ]
}
