import Core
import Domain
import Outbound
import Interactions
import Foundation

/// The control API under `/_sandbox/` (and the home page at `/`), for tests and for a person exploring.
struct ControlRoutes {
    let nowMs: Int64

    func respond(to request: SandboxRequest, world: inout SandboxWorld) -> SandboxResponse {
        let path = request.path
        if path == "/" && request.method == "GET" {
            return .text(HomePage.text(baseURL: world.baseURL, config: world.config))
        }
        let segments = path.split(separator: "/").map(String.init)
        guard segments.first == "_sandbox" else { return notFound(path) }
        let route = Array(segments.dropFirst())
        switch (request.method, route.first, route.count) {
        case ("GET", "messages", 1):
            return .json(.object(["messages": .array(world.slack.log)]))
        case ("GET", "home", 2):
            guard SlackWorkspace.user(id: route[1]) != nil else { return notFound(path) }
            let home = world.slack.homes[route[1]]
            return .json(.object(["user": .string(route[1]), "view": home.map { .object($0.view) } ?? .null,
                                  "publications": .number(String(home?.publications ?? 0))]))
        case ("GET", "requests", 1):
            return .json(.object(["requests": .array(world.requests)]))
        case ("POST", "faults", 1):
            do throws(Fault.Invalid) {
                world.faults.append(try Fault(json: request.jsonBody))
                return .json(.object(["ok": .bool(true), "pending_faults": .number(String(world.faults.count))]))
            } catch {
                return invalid(error.reason)
            }
        case ("POST", "config", 1):
            return configure(request, world: &world)
        case ("PUT", "odata", 2):
            guard let set = EntityModel.fo.set(named: route[1]) else { return notFound(path) }
            guard let entity = request.jsonBody?.objectValue else { return invalid("the body must be a JSON object") }
            do throws(EntityStore.Failure) {
                try world.entities.upsert(entity, into: set)
                return .json(.object(["ok": .bool(true)]))
            } catch {
                return invalid(error.reason)
            }
        case ("GET", "workitems", 2):
            return workItem(route[1], store: world.entities)
        case ("POST", "workitems", 3) where route[2] == "complete":
            let parameters = request.jsonBody?.objectValue ?? [:]
            let outcome = parameters["outcome"]?.stringValue ?? "Approve"
            let comment = parameters["comment"]?.stringValue ?? ""
            return changeWorkItem(route[1], path: path, world: &world) { store throws(EntityStore.WorkItemFailure) in
                try store.completeWorkItem(id: route[1], outcome: outcome, comment: comment)
                return workItem(route[1], store: store)
            }
        case ("POST", "workitems", 3) where route[2] == "delegate":
            guard let parameters = request.jsonBody?.objectValue, let user = parameters["to"]?.stringValue else {
                return invalid("the body must be {\"to\":\"<SystemUsers UserID>\",\"new_id\":\"<guid, optional>\"}")
            }
            let newID = parameters["new_id"]?.stringValue ?? UUID().uuidString.lowercased()
            guard UUID(uuidString: newID) != nil else { return invalid("new_id must be a GUID") }
            return changeWorkItem(route[1], path: path, world: &world) { store throws(EntityStore.WorkItemFailure) in
                let delegated = try store.delegateWorkItem(id: route[1], to: user, newID: newID)
                let old = store.workItem(id: route[1]) ?? [:]
                return .json(.object([
                    "Id": old["Id"] ?? .string(route[1]), "Status": old["Status"] ?? .null,
                    "delegate": .object(["Id": delegated["Id"] ?? .null, "UserId": delegated["UserId"] ?? .null]),
                ]))
            }
        case ("POST", "workitems", 3) where route[2] == "reassign":
            guard let user = request.jsonBody?.objectValue?["to"]?.stringValue else {
                return invalid("the body must be {\"to\":\"<SystemUsers UserID>\"}")
            }
            return changeWorkItem(route[1], path: path, world: &world) { store throws(EntityStore.WorkItemFailure) in
                try store.reassignWorkItem(id: route[1], to: user)
                return workItem(route[1], store: store)
            }
        case ("POST", "workitems", 3) where route[2] == "escalate":
            guard let user = request.jsonBody?.objectValue?["to"]?.stringValue else {
                return invalid("the body must be {\"to\":\"<SystemUsers UserID>\"}")
            }
            return changeWorkItem(route[1], path: path, world: &world) { store throws(EntityStore.WorkItemFailure) in
                try store.escalateWorkItem(id: route[1], to: user)
                return workItem(route[1], store: store)
            }
        case ("POST", "users", 3) where route[2] == "tz":
            guard SlackWorkspace.user(id: route[1]) != nil else { return notFound(path) }
            guard let body = request.jsonBody?.objectValue, let name = body["tz"]?.stringValue,
                  let offset = body["tz_offset"]?.intValue, abs(offset) <= 14 * 3600 else {
                return invalid("the body must be {\"tz\":\"Asia/Tokyo\",\"tz_offset\":32400,\"tz_label\":\"…\"} (offset in seconds, at most ±14 h)")
            }
            world.slack.setTimeZone(.init(name: name, label: body["tz_label"]?.stringValue ?? name, offset: offset), ofUser: route[1])
            return .json(.object(["ok": .bool(true)]))
        case ("POST", "triggers", 1):
            return .json(.object(["trigger_id": .string(world.slack.issueTrigger(nowMs: nowMs))]))
        case ("POST", "interactions", 1):
            return interaction(request, world: &world) { interactions, parameters, workspace throws(SlackInteractions.Failure) in
                try interactions.blockActions(parameters, workspace: &workspace)
            }
        case ("POST", "interactions", 2) where route[1] == "submission":
            return interaction(request, world: &world) { interactions, parameters, workspace throws(SlackInteractions.Failure) in
                try interactions.viewSubmission(parameters, workspace: &workspace)
            }
        case ("POST", "events", 2) where route[1] == "app_home_opened":
            return interaction(request, world: &world) { interactions, parameters, workspace throws(SlackInteractions.Failure) in
                try interactions.appHomeOpened(parameters, workspace: workspace)
            }
        case ("POST", "reset", 1):
            world.reset()
            return .json(.object(["ok": .bool(true)]))
        default:
            return notFound(path)
        }
    }

    /// A signed Slack interaction built by `build`: answered as `{"headers","body","trigger_id",…}`, and also POSTed
    /// to `url` when the parameters name one (a loopback `http://` URL), adding `status` and `response_body`.
    private func interaction(
        _ request: SandboxRequest, world: inout SandboxWorld,
        build: (SlackInteractions, JSONObject, inout SlackWorkspace) throws(SlackInteractions.Failure) -> SlackInteractions.Signed
    ) -> SandboxResponse {
        guard let parameters = request.jsonBody?.objectValue else { return invalid("the body must be a JSON object") }
        var url: String?
        if let value = parameters["url"], value != .null {
            guard let text = value.stringValue, LoopbackHTTPClient.isLoopbackHTTP(text) else {
                return invalid("url must be a loopback http:// URL, e.g. http://127.0.0.1:8080/slack/interactions/default")
            }
            url = text
        }
        let interactions = SlackInteractions(signingSecret: world.config.signingSecret, baseURL: world.baseURL, nowMs: nowMs)
        let signed: SlackInteractions.Signed
        do throws(SlackInteractions.Failure) {
            signed = try build(interactions, parameters, &world.slack)
        } catch {
            var body: JSONObject = ["error": .string(error.reason)]
            for member in error.details.members { body[member.key] = member.value }
            return .json(.object(body), status: error.status)
        }
        guard let url else { return .json(.object(signed.answer)) }
        return .delivering(Delivery(url: url, headers: signed.headers, body: Array(signed.body.utf8), answer: signed.answer))
    }

    private func configure(_ request: SandboxRequest, world: inout SandboxWorld) -> SandboxResponse {
        guard let settings = request.jsonBody?.objectValue else { return invalid("the body must be a JSON object") }
        var config = world.config
        for (key, value) in settings.members {
            switch (key, value) {
            case ("token_lifetime", .number):
                guard let seconds = value.intValue, seconds > 0 else { return invalid("token_lifetime must be a positive integer") }
                config.tokenLifetime = seconds
            case ("pacing", .bool(let pacing)):
                config.pacing = pacing
            case ("page_size", .number):
                guard let size = value.intValue, size > 0 else { return invalid("page_size must be a positive integer") }
                config.pageSize = size
            default:
                return invalid("unknown setting or wrong type: \(key)")
            }
        }
        world.config = config
        return .json(config.json)
    }

    /// Applies `change` to the work items and answers what it returns, or the failure: 404 for an unknown work item,
    /// 409 `not_pending`, 409 `duplicate_id`, 400 `unknown_user`.
    private func changeWorkItem(
        _ id: String, path: String, world: inout SandboxWorld,
        _ change: (inout EntityStore) throws(EntityStore.WorkItemFailure) -> SandboxResponse
    ) -> SandboxResponse {
        do throws(EntityStore.WorkItemFailure) {
            return try change(&world.entities)
        } catch .notFound {
            return notFound(path)
        } catch .notPending {
            return .json(.object(["error": .string("not_pending")]), status: 409)
        } catch .duplicateID {
            return .json(.object(["error": .string("duplicate_id")]), status: 409)
        } catch {
            return .json(.object(["error": .string("unknown_user"), "help": .string("to must be a SystemUsers UserID")]), status: 400)
        }
    }

    private func workItem(_ id: String, store: EntityStore) -> SandboxResponse {
        guard let item = store.workItem(id: id) else { return notFound("/_sandbox/workitems/\(id)") }
        let completions = store.completions(ofWorkItem: id).map { completion in
            JSONValue.object(["outcome": .string(completion.outcome), "comment": .string(completion.comment),
                              "delegated_to": completion.delegatedTo.map(JSONValue.string) ?? .null])
        }
        return .json(.object([
            "Id": item["Id"] ?? .string(id), "Status": item["Status"] ?? .null, "UserId": item["UserId"] ?? .null,
            "EscalationLevel": item["EscalationLevel"] ?? .null, "completions": .array(completions),
        ]))
    }

    private func invalid(_ reason: String) -> SandboxResponse {
        .json(.object(["error": .string(reason)]), status: 400)
    }

    private func notFound(_ path: String) -> SandboxResponse {
        .json(.object(["error": .string("not_found"), "path": .string(path), "help": .string("GET / lists the endpoints")]), status: 404)
    }
}
