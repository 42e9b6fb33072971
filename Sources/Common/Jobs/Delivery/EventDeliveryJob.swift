import FoundationEssentials
import Core
import Domain
import Outbound

/// Turns one stored event into a card on its way to Slack (`deliver_event`): the catalog says what to read over
/// OData, the routes say where it goes (first match wins, with the amount checked against the document), people
/// are resolved to Slack users, the card is rendered, and a paced `post_message` job is queued for the channel. A
/// notice on a digest route waits for the route's next digest instead (a `digest_item` and its `post_digest` job).
///
/// For an approval, F&O says who decides (DESIGN.md §7 Approvals): the work item is read first and must be
/// `Pending`; its `UserId` is resolved through `SystemUsers` to an address and that to a Slack user. The event's
/// own address is only a hint — a different one is audited, and F&O wins.
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

        let dynamics = try context.dynamics(connectionID: connectionID, scope: scope)
        var templates = TemplateContext(event: event)
        var assignee: (userID: String, email: String?, workItem: WorkItemReading)?
        if entry.kind == .approval {
            switch try readAssignment(entry, templates: &templates, dynamics: dynamics, caller: caller) {
            case .assigned(let userID, let email, let workItem): assignee = (userID, email, workItem)
            case .finished(let outcome): return outcome
            }
        }

        // Read the documents the card needs.
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
        guard let routes = job.routes else { return .discard(error: "deliver_event job claimed without its routes") }
        guard let route = routes.first(for: event, amount: .known(amount)) else {
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
        let approverEmail = assignee?.email?.lowercased()
        let approverSlackID = try approverEmail.flatMap { try people.slackUser(email: $0) }
        switch route.destination {
        case .channel(let id):
            channel = id
        case .approver, .email:
            let email: String?
            if case .email(let address) = route.destination {
                email = address
            } else {
                email = entry.kind == .approval ? approverEmail : entry.personEmail?.render(in: templates)
            }
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
        var approval: ApprovalRecord?
        if let assignee, let workItem = entry.workItemID?.render(in: templates) {
            let store = ApprovalStore(context.db)
            let about = ApprovalDescription(subject: entry.title.render(in: templates), amount: amount,
                                            currency: entry.currency?.render(in: templates),
                                            due: assignee.workItem.due.map { FOTimestamp(microseconds: $0 * 1_000_000) })
            let opened = try store.open(connectionID: connectionID, eventRow: eventRow, workItemID: workItem, assignee: assignee.userID,
                                        legalEntity: event.legalEntity, approverEmail: approverEmail, approverSlackID: approverSlackID,
                                        escalationLevel: assignee.workItem.escalationLevel, about: about)
            guard opened.state.isOpen, opened.messageTS == nil else {
                caller.record(action: "event.routed", detail: "work item \(workItem) already has its card (\(opened.state.rawValue))")
                return .completed
            }
            // A card that an earlier assignee still holds is closed: F&O has given the work item to someone else.
            let followUp = ApprovalFollowUp(db: context.db, caller: caller)
            for earlier in try store.unsettled(connectionID: connectionID, workItemID: workItem) where earlier.id != opened.id {
                try followUp.settle(earlier, .delegated, note: ApprovalSettlement.reassignmentNote(for: earlier, reading: assignee.workItem,
                                                                                                  to: approverEmail ?? assignee.userID),
                                    reassignedTo: nil)
            }
            if let due = assignee.workItem.due {
                try ReminderScheduler(db: context.db, slack: people.slack, caller: caller).schedule(opened, due: due, settings: catalog.reminders)
            }
            approval = opened
        }
        let formats = try context.defaultDimensionFormat(connectionID) {
            try DimensionFormatCache(formats: DimensionFormatStore(context.db, connectionID: connectionID), dynamics: dynamics,
                                     read: catalog.dimensionFormats).defaultFormat()
        }
        let renderer = CardRenderer(dynamicsURL: connection.secrets[.dynamicsURL], dimensionFormat: formats)
        // A digest route's notice waits for the route's next digest time; approvals are never batched.
        if let digest = route.digest, entry.kind == .notice {
            try collect(renderer.digestItem(entry, context: templates), digest: digest, route: route, channel: channel,
                        connectionID: connectionID, eventRow: eventRow, caller: caller)
            return .completed
        }
        let card = renderer.render(entry, context: templates, approval: approval.map {
            ApprovalButtons(reference: $0.reference, decisions: catalog.workflowActions.offered)
        }, note: note)

        var args = JSONObject()
        args["channel"] = .string(channel)
        args["card"] = card.json
        args["event_id"] = .string(event.eventID)
        if let approval { args["approval_id"] = .number(String(approval.id)) }
        let posted = try JobStore(context.db).enqueue(
            .postMessage, connectionID: connectionID, businessEventRowID: eventRow, args: args,
            rateKey: RateKey.slackChannel(connectionID: connectionID, channel: channel),
            minIntervalMilliseconds: context.slackChannelIntervalMilliseconds, dedupeKey: approval.map { "post:approval:\($0.id)" } ?? "post:\(eventRow):\(channel)")
        caller.record(action: "event.routed", detail: "route \(route.id) → \(channel)"
                      + (posted == nil ? " (already queued)" : "") + (note.map { "; \($0)" } ?? ""))
        return .completed
    }

    /// The notice into the digest of the route's next time for the channel, and that digest's `post_digest` job queued
    /// for its time (once for all its notices), in one transaction.
    private func collect(_ item: DigestItem, digest: DigestSchedule, route: Route, channel: String, connectionID: Int64,
                         eventRow: Int64, caller: OutboundCaller) throws {
        let (added, slot, queued) = try context.db.transaction { db in
            let jobs = JobStore(db)
            // A digest that has started already takes no more: the notice waits for the next one.
            var slot = digest.nextSlot(after: try jobs.now())
            while try !jobs.isUnstarted(dedupeKey: Self.digestKey(route: route.id, channel: channel, slot: slot)) {
                slot = digest.nextSlot(after: slot)
            }
            let added = try DigestStore(db).add(connectionID: connectionID, routeID: route.id, channel: channel, eventRow: eventRow,
                                                slot: slot, item: item)
            guard added else { return (false, slot, false) }
            let job = try jobs.enqueue(
                .postDigest, connectionID: connectionID, businessEventRowID: nil,
                args: ["route_id": .number(String(route.id)), "channel": .string(channel), "slot": .number(String(slot))],
                rateKey: RateKey.slackChannel(connectionID: connectionID, channel: channel),
                minIntervalMilliseconds: context.slackChannelIntervalMilliseconds, runAt: slot,
                dedupeKey: Self.digestKey(route: route.id, channel: channel, slot: slot))
            return (added, slot, job != nil)
        }
        caller.record(action: "event.routed", detail: "route \(route.id) → \(channel), in the digest of \(DigestSchedule.iso(slot))"
                      + (added ? "" : " (already there)") + (queued ? "; digest queued" : ""))
    }

    /// `digest:<route>:<channel>:<slot>`: one `post_digest` job per digest, however many notices and workers.
    private static func digestKey(route: Int64, channel: String, slot: Int64) -> String {
        "digest:\(route):\(channel):\(DigestSchedule.iso(slot))"
    }

    private enum Assignment {
        /// The work item is pending for this F&O user (with the address F&O has for them).
        case assigned(userID: String, email: String?, workItem: WorkItemReading)
        /// No card: the job ends here.
        case finished(JobOutcome)
    }

    /// The work item and its assignee as F&O records them, into `templates` as `workitem` and `approver`.
    private func readAssignment(_ entry: CatalogEntry, templates: inout TemplateContext, dynamics: DynamicsClient,
                                caller: OutboundCaller) throws -> Assignment {
        guard let workItemID = entry.workItemID?.render(in: templates) else {
            return .finished(.discard(error: "the event names no work item"))
        }
        let reader = WorkItemReader(dynamics: dynamics)
        let fields = entry.fields(usedFrom: CatalogEntry.workItemRead)
        guard let (reading, item) = try reader.workItem(workItemID, fields: fields) else {
            caller.record(action: "odata.read", outcome: .error, detail: "\(WorkItemSchema.entitySet): work item \(workItemID) not found in F&O")
            return .finished(.discard(error: "work item \(workItemID) was not found in F&O"))
        }
        templates[result: CatalogEntry.workItemRead] = .object(item)
        guard reading.isPending, let userID = reading.userID, !userID.isEmpty else {
            caller.record(action: "event.ignored", detail: "work item \(workItemID) is \(reading.status ?? "without status") in F&O: no card")
            return .finished(.completed)
        }
        let user = try reader.user(userID, fields: entry.fields(usedFrom: CatalogEntry.approverRead))
        if let user { templates[result: CatalogEntry.approverRead] = .object(user) }
        let email = user?.value(forCaseInsensitiveKey: WorkItemSchema.userEmail)?.stringValue?.trimmingCharacters()
        let hint = entry.personEmail?.render(in: templates)?.trimmingCharacters()
        if let hint, hint.lowercased() != email?.lowercased() {
            caller.record(action: "approval.assignee", outcome: .error,
                          detail: "the event names \(hint) as the approver; F&O assigns work item \(workItemID) to \(userID)"
                          + (email.map { " (\($0))" } ?? " (no email in SystemUsers)") + ": F&O wins")
        }
        return .assigned(userID: userID, email: email.flatMap { $0.isEmpty ? nil : $0 }, workItem: reading)
    }
}
