import Core
import Domain
import Outbound
import Interactions

/// The F&O data the sandbox serves: records per entity set, in insertion order, plus what happened to work items.
struct EntityStore: Sendable {
    struct Failure: Error {
        let reason: String
    }

    /// One completion of a workflow work item, through OData or the control API.
    /// One outcome written to a work item: completed (approve, reject, request change) or delegated.
    struct Completion: Sendable {
        let outcome: String
        let comment: String
        /// For a delegation, the delegate's new work item.
        var delegatedTo: String? = nil
    }

    private var records: [String: [JSONObject]] = [:]
    /// Completions per work item id (lower-cased).
    private var completions: [String: [Completion]] = [:]

    /// The seeded company: exactly the records of `Fixtures/odata` (see `SampleData.seed`).
    static func seeded() -> EntityStore {
        var store = EntityStore()
        for (set, document) in SampleData.seed {
            let entities = document["value"]?.arrayValue?.compactMap(\.objectValue) ?? [document]
            for entity in entities {
                do throws(Failure) {
                    try store.upsert(entity, into: set)
                } catch {
                    preconditionFailure("invalid seed record in Fixtures/odata/\(set.name).json: \(error.reason)")
                }
            }
        }
        return store
    }

    func all(in set: EntitySet) -> [JSONObject] {
        records[set.name] ?? []
    }

    /// Inserts `entity` or replaces the record with the same key. Inline navigation collections
    /// (`"PurchaseOrderLinesV2":[…]`) are stored in their own entity set; `@odata.context` is dropped. Every other
    /// member must be an annotation (`@odata.etag`) or a property of the set's entity type.
    mutating func upsert(_ entity: JSONObject, into set: EntitySet) throws(Failure) {
        var entity = entity
        entity["@odata.context"] = nil
        var children: [(EntitySet, JSONObject)] = []
        for navigation in set.navigations {
            guard let value = entity[navigation.name] else { continue }
            entity[navigation.name] = nil
            guard let target = EntityModel.fo.set(named: navigation.targetSet), let items = value.arrayValue else {
                throw Failure(reason: "'\(navigation.name)' must be an array of entities")
            }
            for item in items {
                guard let child = item.objectValue else { throw Failure(reason: "'\(navigation.name)' must hold objects") }
                children.append((target, child))
            }
        }
        if let unknown = Self.unknownProperty(in: entity, of: set) {
            throw Failure(reason: "'\(unknown)' is not a property of \(set.qualifiedTypeName)")
        }
        if let missing = set.keys.first(where: { entity[$0] == nil || entity[$0] == .null }) {
            throw Failure(reason: "the entity lacks the key field '\(missing)' of \(set.name)")
        }
        var list = records[set.name] ?? []
        if !set.keys.isEmpty, let index = list.firstIndex(where: { Self.sameKey($0, entity, fields: set.keys) }) {
            list[index] = entity
        } else {
            list.append(entity)
        }
        records[set.name] = list
        for (target, child) in children { try upsert(child, into: target) }
    }

    /// The record whose key fields equal `key`, if any; the key must name exactly the set's key fields.
    func index(in set: EntitySet, key: [(field: String, value: ODataLiteral)]) -> Int? {
        records[set.name]?.firstIndex { record in
            key.allSatisfy { part in record[part.field].map(part.value.matches) ?? false }
        }
    }

    func record(in set: EntitySet, at index: Int) -> JSONObject {
        records[set.name]![index]
    }

    /// The first member of `entity` that is neither an annotation nor a property of `set`'s entity type.
    static func unknownProperty(in entity: JSONObject, of set: EntitySet) -> String? {
        entity.keys.first { !$0.hasPrefix("@") && set.property(named: $0) == nil }
    }

    /// Merges `changes` into the record at `index` (key fields and annotations are not changed).
    mutating func merge(_ changes: JSONObject, in set: EntitySet, at index: Int) {
        for member in changes.members where !set.keys.contains(member.key) && !member.key.hasPrefix("@") {
            records[set.name]![index][member.key] = member.value
        }
    }

    /// The records a navigation property of `record` leads to.
    func related(_ record: JSONObject, through navigation: EntitySet.Navigation) -> [JSONObject] {
        guard !navigation.linkFields.isEmpty, let target = EntityModel.fo.set(named: navigation.targetSet) else { return [] }
        return all(in: target).filter { Self.sameKey($0, record, fields: navigation.linkFields) }
    }

    private static func sameKey(_ lhs: JSONObject, _ rhs: JSONObject, fields: [String]) -> Bool {
        fields.allSatisfy { field in
            switch (lhs[field], rhs[field]) {
            case (.string(let a)?, .string(let b)?): a.lowercased() == b.lowercased()
            case (.number(let a)?, .number(let b)?): ODataLiteral.number(a).matches(.number(b))
            case (let a, let b): a == b
            }
        }
    }

    // MARK: Workflow work items

    enum WorkItemFailure: Error {
        case notFound
        case notPending
        /// The user to delegate or reassign to is no `SystemUsers` `UserID`.
        case unknownUser
        /// The id asked for the delegate's new work item is taken.
        case duplicateID
    }

    private static let workItems = EntityModel.fo.set(named: "WorkflowWorkItems")!
    private static let systemUsers = EntityModel.fo.set(named: "SystemUsers")!

    func workItem(id: String) -> JSONObject? {
        index(in: Self.workItems, key: [("Id", .guid(id))]).map { record(in: Self.workItems, at: $0) }
    }

    func completions(ofWorkItem id: String) -> [Completion] {
        completions[id.lowercased()] ?? []
    }

    /// Completes a pending work item: its `Status` becomes `Completed` and the completion is recorded.
    mutating func completeWorkItem(id: String, outcome: String, comment: String) throws(WorkItemFailure) {
        let index = try pendingWorkItem(id: id)
        merge(["Status": .string("Completed")], in: Self.workItems, at: index)
        completions[id.lowercased(), default: []].append(Completion(outcome: outcome, comment: comment))
    }

    /// Delegates a pending work item as F&O does: it becomes `Delegated`, and a new pending work item `newID` for
    /// the delegate copies its subject, company, due date and type; the delegation is recorded with `outcome`.
    /// Returns the new work item.
    mutating func delegateWorkItem(id: String, to user: String, newID: String, outcome: String = "Delegate",
                                   comment: String = "") throws(WorkItemFailure) -> JSONObject {
        let index = try pendingWorkItem(id: id)
        let userID = try systemUserID(user)
        guard workItem(id: newID) == nil else { throw .duplicateID }
        let item = record(in: Self.workItems, at: index)
        var delegated: JSONObject = ["Id": .string(newID.lowercased()), "Status": .string("Pending"), "UserId": .string(userID)]
        for field in ["Subject", "CompanyId", "DueDateTime", "Type"] { delegated[field] = item[field] }
        merge(["Status": .string("Delegated")], in: Self.workItems, at: index)
        records[Self.workItems.name, default: []].append(delegated)
        completions[id.lowercased(), default: []].append(Completion(outcome: outcome, comment: comment, delegatedTo: newID.lowercased()))
        return delegated
    }

    /// Reassigns a pending work item to another user: same id, still pending, `UserId` changed.
    mutating func reassignWorkItem(id: String, to user: String) throws(WorkItemFailure) {
        let index = try pendingWorkItem(id: id)
        merge(["UserId": .string(try systemUserID(user))], in: Self.workItems, at: index)
    }

    /// Escalates a pending work item as F&O's escalation path does: same id, still pending, `UserId` changed to the
    /// escalation user and `EscalationLevel` one higher.
    mutating func escalateWorkItem(id: String, to user: String) throws(WorkItemFailure) {
        let index = try pendingWorkItem(id: id)
        let level = record(in: Self.workItems, at: index)["EscalationLevel"]?.intValue ?? 0
        merge(["UserId": .string(try systemUserID(user)), "EscalationLevel": .number(String(level + 1))], in: Self.workItems, at: index)
    }

    private func pendingWorkItem(id: String) throws(WorkItemFailure) -> Int {
        guard let index = index(in: Self.workItems, key: [("Id", .guid(id))]) else { throw .notFound }
        guard record(in: Self.workItems, at: index)["Status"]?.stringValue?.lowercased() == "pending" else { throw .notPending }
        return index
    }

    /// The `UserID` of the system user `user` (compared case-insensitively), as stored.
    private func systemUserID(_ user: String) throws(WorkItemFailure) -> String {
        guard let index = index(in: Self.systemUsers, key: [("UserID", .string(user))]),
              let userID = record(in: Self.systemUsers, at: index)["UserID"]?.stringValue else { throw .unknownUser }
        return userID
    }
}
