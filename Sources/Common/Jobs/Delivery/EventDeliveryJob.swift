import FoundationEssentials
import Core
import Domain
import Outbound

/// Turns one stored event into a card on its way to Slack (`deliver_event`): the catalog says what to read over
/// OData, the routes say where it goes (first match wins, with the amount checked against the document), people
/// are resolved to Slack users, the card is rendered, and a paced `post_message` job is queued for the channel.
struct EventDeliveryJob {
    let context: JobContext
    let job: ClaimedJob

    func run() throws -> JobOutcome {
        guard let subject = try EventJobScope(job, context: context) else {
            return .discard(error: "deliver_event job without connection or event")
        }
        let (connectionID, eventRow, event, connection) = (subject.connectionID, subject.eventRow, subject.event, subject.connection)
        let (scope, caller, catalog) = (subject.scope, subject.caller, subject.catalog)
        guard let entry = catalog.entry(for: event) else {
            caller.record(action: "event.ignored", detail: "no catalog entry for \(event.businessEventID)")
            return .completed
        }

        // Read the documents the card needs.
        let dynamics = try context.dynamics(connectionID: connectionID, scope: scope)
        var templates = TemplateContext(event: event)
        for read in entry.reads {
            guard let query = read.query(in: templates) else {
                if read.optional { continue }
                return .discard(error: "\(read.name): the event lacks a field needed to read \(read.entitySet)")
            }
            let value: JSONValue?
            switch read.shape {
            case .entity: value = try dynamics.entity(query).map(JSONValue.object)
            case .firstRow: value = try dynamics.collection(query, limit: 1).first
            case .allRows: value = .array(try dynamics.collection(query))
            }
            guard let value else {
                if read.optional { continue }
                caller.record(action: "odata.read", outcome: .error, detail: "\(query.entitySet): not found in F&O")
                return .discard(error: "\(query.entitySet) \(read.name) was not found in F&O")
            }
            templates[result: read.name] = value
        }

        // Route: first route whose pattern, legal entity and minimum amount fit.
        let amount = entry.amount?.value(in: templates)?.decimalValue
        guard let route = try RouteStore(context.db).routes(connectionID: connectionID).first(for: event, amount: .known(amount)) else {
            caller.record(action: "event.ignored", detail: "no route matched \(event.businessEventID)"
                          + (amount.map { " with amount \($0)" } ?? ""))
            return .completed
        }

        // Destination: a channel, or a person's direct messages (with the fallback channel when not in Slack).
        // An approval card's approver is the work item's user wherever the card goes: only that person's click counts.
        var note: String?
        let channel: String
        let people = PeopleDirectory(users: SlackUserStore(context.db, connectionID: connectionID),
                                     slack: try context.slack(connectionID: connectionID, scope: scope))
        let approverEmail = entry.kind == .approval ? entry.personEmail?.render(in: templates)?.lowercased() : nil
        let approverSlackID = try approverEmail.flatMap { try people.slackUser(email: $0) }
        switch route.destination {
        case .channel(let id):
            channel = id
        case .approver, .email:
            let email: String?
            if case .email(let address) = route.destination { email = address } else { email = entry.personEmail?.render(in: templates) }
            let user = email?.lowercased() == approverEmail ? approverSlackID : try email.flatMap { try people.slackUser(email: $0) }
            if let email, let user {
                channel = user
            } else if let fallback = route.fallbackChannel {
                channel = fallback
                note = email.map { "Sent to this channel because \($0) was not found in Slack." }
                    ?? "Sent to this channel because the event names no person."
            } else {
                return .discard(error: "\(email ?? "the event's person") is not in Slack and route \(route.id) has no fallback channel")
            }
        }

        // Approval row first, so the buttons carry only its opaque reference.
        var approvalID: Int64?
        var buttons: ApprovalButtons?
        if entry.kind == .approval, let workItem = entry.workItemID?.render(in: TemplateContext(event: event)) {
            let approval = try ApprovalStore(context.db).open(
                connectionID: connectionID, eventRow: eventRow, workItemID: workItem, legalEntity: event.legalEntity,
                approverEmail: approverEmail, approverSlackID: approverSlackID)
            approvalID = approval.id
            buttons = ApprovalButtons(reference: approval.reference)
        }
        let formats = try DimensionFormatCache(formats: DimensionFormatStore(context.db, connectionID: connectionID), dynamics: dynamics,
                                               read: catalog.dimensionFormats).defaultFormat()
        let card = CardRenderer(dynamicsURL: connection.secrets[.dynamicsURL], dimensionFormat: formats)
            .render(entry, context: templates, approval: buttons, note: note)

        var args = JSONObject()
        args["channel"] = .string(channel)
        args["card"] = card.json
        args["event_id"] = .string(event.eventID)
        if let approvalID { args["approval_id"] = .number(String(approvalID)) }
        let posted = try JobStore(context.db).enqueue(
            .postMessage, connectionID: connectionID, businessEventRowID: eventRow, args: args,
            rateKey: RateKey.slackChannel(connectionID: connectionID, channel: channel),
            minIntervalMilliseconds: context.slackChannelIntervalMilliseconds, dedupeKey: "post:\(eventRow):\(channel)")
        caller.record(action: "event.routed", detail: "route \(route.id) → \(channel)"
                      + (posted == nil ? " (already queued)" : "") + (note.map { "; \($0)" } ?? ""))
        return .completed
    }
}
