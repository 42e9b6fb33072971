import Core
import Domain
import Outbound
import Interactions
import Foundation

/// The F&O OData service under `/fo/data/` for every entity set of `EntityModel.fo`: keyed and collection reads with
/// F&O's rules (full named keys, `cross-company`, server paging, token audience, 400 for unknown names), `$select`,
/// `$expand`, PATCH, posted documents read-only, the workflow actions and `$metadata`.
struct ODataRoutes {
    static let pathPrefix = "/fo/data/"
    private static let actionNamespace = "Microsoft.Dynamics.DataEntities."

    /// The sandbox's base URL (`http://127.0.0.1:<port>`).
    let baseURL: String
    let config: SandboxConfig

    /// The Dynamics URL and token audience: `<base>/fo`.
    var resource: String { baseURL + "/fo" }
    private var serviceRoot: String { baseURL + "/fo/data" }

    func respond(to request: SandboxRequest, store: inout EntityStore, tokens: TokenStore, nowMs: Int64) -> SandboxResponse {
        guard tokens.isValid(request.bearerToken, audience: resource, nowMs: nowMs) else { return ODataError.unauthorized }
        guard request.rawPath.hasPrefix(Self.pathPrefix) else { return ODataError.notFound(request.path) }
        let segments = request.rawPath.dropFirst(Self.pathPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
            .map { FormURLEncoding.percentDecode($0) ?? String($0) }
        if segments.count == 2, segments[0] == "WorkflowWorkItems", segments[1].hasPrefix(Self.actionNamespace) {
            return workflowAction(String(segments[1].dropFirst(Self.actionNamespace.count)), request: request, store: &store)
        }
        guard segments.count == 1 else { return ODataError.notFound(segments.last ?? "") }
        if segments[0] == "$metadata" {
            guard request.method == "GET" else { return methodNotAllowed(request) }
            return .xml(Self.metadata, headers: Self.odataHeaders)
        }
        let segment: ODataKeyParser.Segment
        do throws(ODataKeyParser.Failure) {
            segment = try ODataKeyParser.parse(segments[0])
        } catch {
            return ODataError.noRoute(error.reason)
        }
        guard let set = EntityModel.fo.set(named: segment.setName) else { return ODataError.notFound(segment.setName) }
        if set.isReadOnly && request.method != "GET" { return ODataError.postedReadOnly }
        guard let key = segment.key else { return collection(set, request: request, store: store) }
        return entity(set, key: key, request: request, store: &store)
    }

    // MARK: Reads and writes

    private func crossCompany(_ request: SandboxRequest) -> Bool {
        request.query("cross-company")?.lowercased() == "true"
    }

    /// Without `cross-company=true`, company-specific records are visible only in the default company.
    private func isVisible(_ record: JSONObject, in set: EntitySet, crossCompany: Bool) -> Bool {
        !set.isCompanySpecific || crossCompany
            || record["dataAreaId"]?.stringValue?.lowercased() == EntitySet.defaultCompany
    }

    private func entity(_ set: EntitySet, key: [(field: String, value: ODataLiteral)], request: SandboxRequest,
                        store: inout EntityStore) -> SandboxResponse {
        let named = key.map(\.field)
        if let unknown = named.first(where: { set.property(named: $0) == nil }) { return ODataError.unknownProperty(unknown, on: set) }
        guard named.count == set.keys.count, Set(named) == Set(set.keys) else {
            return ODataError.noRoute("Every key field must be named: the key of \(set.name) is (\(set.keys.joined(separator: ","))).")
        }
        guard let index = store.index(in: set, key: key),
              isVisible(store.record(in: set, at: index), in: set, crossCompany: crossCompany(request)) else {
            return ODataError.notFound(set.name)
        }
        switch request.method {
        case "GET":
            let projection: ODataProjection
            do throws(ODataError.Failure) {
                projection = try self.projection(request, of: set)
            } catch {
                return error.response
            }
            var body: JSONObject = ["@odata.context": .string("\(serviceRoot)/$metadata#\(set.name)/$entity")]
            for member in projection.render(store.record(in: set, at: index), store: store).members {
                body[member.key] = member.value
            }
            return .json(.object(body), headers: Self.odataHeaders)
        case "PATCH":
            guard let changes = request.jsonBody?.objectValue else { return ODataError.badRequest("The body must be a JSON object.") }
            if let unknown = EntityStore.unknownProperty(in: changes, of: set) { return ODataError.unknownProperty(unknown, on: set) }
            store.merge(changes, in: set, at: index)
            return .empty(status: 204, headers: Self.odataHeaders)
        default:
            return methodNotAllowed(request)
        }
    }

    private func collection(_ set: EntitySet, request: SandboxRequest, store: EntityStore) -> SandboxResponse {
        guard request.method == "GET" else { return methodNotAllowed(request) }
        var records = store.all(in: set).filter { isVisible($0, in: set, crossCompany: crossCompany(request)) }
        if let text = request.query("$filter") {
            let filter: ODataFilter
            do throws(ODataFilter.Failure) {
                filter = try ODataFilter.parse(text)
            } catch {
                return ODataError.badRequest("The query specified in the URI is not valid. \(error.reason)")
            }
            if let unknown = filter.terms.first(where: { set.property(named: $0.field) == nil }) {
                return ODataError.unknownProperty(unknown.field, on: set)
            }
            records = records.filter(filter.matches)
        }
        let projection: ODataProjection
        do throws(ODataError.Failure) {
            projection = try self.projection(request, of: set)
        } catch {
            return error.response
        }
        guard let skip = nonNegative(request, "$skip"), let top = nonNegative(request, "$top"),
              let offset = nonNegative(request, "$skiptoken") else {
            return ODataError.badRequest("$skip, $top and $skiptoken must be non-negative integers.")
        }
        records = Array(records.dropFirst(skip ?? 0).prefix(top ?? Int.max))
        let pageEnd = min(records.count, (offset ?? 0) + config.pageSize)
        let page = records[min(offset ?? 0, pageEnd)..<pageEnd]
        var body: JSONObject = [
            "@odata.context": .string("\(serviceRoot)/$metadata#\(set.name)"),
            "value": .array(page.map { .object(projection.render($0, store: store)) }),
        ]
        if pageEnd < records.count {
            let kept = request.rawQuery.split(separator: "&").filter { !$0.hasPrefix("$skiptoken=") && !$0.hasPrefix("%24skiptoken=") }
            body["@odata.nextLink"] = .string("\(serviceRoot)/\(set.name)?" + (kept + ["$skiptoken=\(pageEnd)"]).joined(separator: "&"))
        }
        return .json(.object(body), headers: Self.odataHeaders)
    }

    /// `Int??`: `nil` when the option is malformed, `.some(nil)` when it is absent.
    private func nonNegative(_ request: SandboxRequest, _ option: String) -> Int?? {
        guard let text = request.query(option) else { return .some(nil) }
        guard let value = Int(text), value >= 0 else { return nil }
        return .some(value)
    }

    /// `$select` and `$expand` of a read (expansion is one level deep, as in F&O).
    private func projection(_ request: SandboxRequest, of set: EntitySet) throws(ODataError.Failure) -> ODataProjection {
        try ODataProjection(select: request.query("$select"), expand: request.query("$expand"), of: set)
    }

    private func methodNotAllowed(_ request: SandboxRequest) -> SandboxResponse {
        ODataError.response(status: 405, message: "The requested resource does not support http method '\(request.method)'.")
    }

    private static let odataHeaders: [(name: String, value: String)] = [("OData-Version", "4.0")]

    /// The CSDL document of `EntityModel.fo`, built once.
    private static let metadata = EntityModel.fo.csdl

    // MARK: Workflow actions

    /// The outcomes `complete` accepts (lower-cased).
    private static let outcomes: Set<String> = ["approve", "reject", "requestchange", "delegate"]

    /// `validate` and `complete` on `WorkflowWorkItems`, with the parameters of the connector's default catalog:
    /// `Reject` and `RequestChange` need a `Comment`, `Delegate` a `DelegateUserId` (a `SystemUsers` `UserID`) and
    /// leaves the item `Delegated` with a new pending work item for the delegate, as F&O does.
    private func workflowAction(_ action: String, request: SandboxRequest, store: inout EntityStore) -> SandboxResponse {
        guard request.method == "POST" else { return methodNotAllowed(request) }
        guard action == "validate" || action == "complete" else { return ODataError.notFound(Self.actionNamespace + action) }
        guard let parameters = request.jsonBody?.objectValue,
              let id = parameters["WorkflowWorkitemInstanceID"]?.stringValue, !id.isEmpty else {
            return ODataError.badRequest("The parameter 'WorkflowWorkitemInstanceID' is missing.")
        }
        if action == "validate" {
            let isPending = store.workItem(id: id)?["Status"]?.stringValue?.lowercased() == "pending"
            return .json(.object(["value": .bool(isPending)]), headers: Self.odataHeaders)
        }
        guard let outcome = parameters["Outcome"]?.stringValue,
              Self.outcomes.contains(outcome.lowercased()) else {
            return ODataError.badRequest("The parameter 'Outcome' must be 'Approve', 'Reject', 'RequestChange' or 'Delegate'.")
        }
        let comment = parameters["Comment"]?.stringValue ?? ""
        if ["reject", "requestchange"].contains(outcome.lowercased()) && comment.trimmingCharacters().isEmpty {
            return ODataError.response(status: 400, message: "An error has occurred.",
                                       innerMessage: "A comment is required to \(outcome.lowercased() == "reject" ? "reject" : "request a change to") the work item.")
        }
        let delegate = parameters["DelegateUserId"]?.stringValue ?? ""
        if outcome.lowercased() == "delegate" && delegate.isEmpty {
            return ODataError.badRequest("The parameter 'DelegateUserId' is required to delegate the work item.")
        }
        do throws(EntityStore.WorkItemFailure) {
            if outcome.lowercased() == "delegate" {
                _ = try store.delegateWorkItem(id: id, to: delegate, newID: UUID().uuidString.lowercased(), outcome: outcome, comment: comment)
            } else {
                try store.completeWorkItem(id: id, outcome: outcome, comment: comment)
            }
            return .empty(status: 204, headers: Self.odataHeaders)
        } catch .unknownUser {
            return ODataError.response(status: 400, message: "An error has occurred.", innerMessage: "The user \(delegate) was not found.")
        } catch .notFound {
            return ODataError.response(status: 400, message: "An error has occurred.", innerMessage: "The work item \(id) was not found.")
        } catch {
            return ODataError.response(status: 400, message: "An error has occurred.", innerMessage: "The work item is not pending.")
        }
    }
}
