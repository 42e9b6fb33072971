import Core
import Domain
import Outbound

/// Reads a work item and its assignee from F&O, with the names of `WorkItemSchema`: `WorkflowWorkItems(Id=…)`
/// (mandatory before a card is made and before a decision is sent), `SystemUsers(UserID='…')`, and the system
/// user behind an email address (a delegate chosen in Slack).
struct WorkItemReader {
    let dynamics: DynamicsClient

    /// The work item, or nil when F&O does not have it. `fields` are selected besides the ones the approval code reads.
    func workItem(_ id: String, fields: [String] = []) throws -> (reading: WorkItemReading, entity: JSONObject)? {
        guard let guid = ODataValue.guid(parsing: id) else { throw PlatformError(.permanent, "work item id \"\(id)\" is not a GUID") }
        let select = Set([WorkItemSchema.key, WorkItemSchema.status, WorkItemSchema.userID, WorkItemSchema.dueDateTime,
                          WorkItemSchema.escalationLevel] + fields).sorted()
        let query = ODataQuery(entitySet: WorkItemSchema.entitySet, key: [(WorkItemSchema.key, guid)], select: select,
                               crossCompany: true)
        guard let entity = try dynamics.entity(query) else { return nil }
        // F&O's empty date-time is 1900-01-01: no due date.
        let due = entity.value(forCaseInsensitiveKey: WorkItemSchema.dueDateTime)?.stringValue.flatMap(FOTimestamp.init)
            .flatMap { $0.microseconds > 0 ? $0 : nil }
        return (WorkItemReading(status: entity.value(forCaseInsensitiveKey: WorkItemSchema.status)?.stringValue,
                                userID: entity.value(forCaseInsensitiveKey: WorkItemSchema.userID)?.stringValue,
                                due: due.map { $0.microseconds / 1_000_000 },
                                escalationLevel: entity.value(forCaseInsensitiveKey: WorkItemSchema.escalationLevel)?.int64Value.map { Int($0) }), entity)
    }

    /// What a reading says, for the approval code: `.notFound` when F&O has no such work item.
    func reading(_ id: String) throws -> WorkItemReading {
        try workItem(id)?.reading ?? .notFound
    }

    /// The `UserID` of the system user with this email address (`SystemUsers?$filter=Email eq '…'`), or nil when
    /// F&O has none; the first, in F&O's order, when several share it.
    func userID(email: String) throws -> String? {
        let users = try dynamics.collection(ODataQuery(entitySet: WorkItemSchema.userEntitySet,
                                                       filter: [(WorkItemSchema.userEmail, .string(email))],
                                                       select: [WorkItemSchema.userKey, WorkItemSchema.userEmail], crossCompany: false),
                                            limit: 10)
        return users.lazy.compactMap { $0.objectValue?.value(forCaseInsensitiveKey: WorkItemSchema.userKey)?.stringValue }.first
    }

    /// The system user a work item is assigned to, or nil when F&O has none by that id.
    func user(_ userID: String, fields: [String] = []) throws -> JSONObject? {
        let select = Set([WorkItemSchema.userKey, WorkItemSchema.userEmail] + fields).sorted()
        return try dynamics.entity(ODataQuery(entitySet: WorkItemSchema.userEntitySet, key: [(WorkItemSchema.userKey, .string(userID))],
                                              select: select, crossCompany: false))
    }
}
