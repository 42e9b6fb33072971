import Core
import Domain
import Outbound

/// What a job about one stored business event starts from: the event as the intake stored it, its connection,
/// the audit scope and caller, and the connection's catalog.
struct EventJobScope {
    let connectionID: Int64
    let eventRow: Int64
    let event: BusinessEvent
    let connection: (record: ConnectionRecord, secrets: ConnectionSecrets)
    let scope: OutboundCaller.Scope
    let caller: OutboundCaller
    let catalog: EventCatalog

    /// Nil when the job names no connection or event (a malformed job, to be discarded).
    init?(_ job: ClaimedJob, context: JobContext) throws {
        guard let connectionID = job.connectionID, let eventRow = job.businessEventRowID else { return nil }
        let stored: BusinessEvent?
        do {
            // The claim brought the payload along; nil: the row is gone.
            stored = try job.eventPayload.map(BusinessEventStore.event(payload:))
        } catch let error as PostgresError {
            throw error
        } catch {
            throw PlatformError(.permanent, "stored business event \(eventRow) is no longer valid: \(error)")
        }
        guard let stored else { throw PlatformError(.permanent, "business event \(eventRow) no longer exists") }
        event = stored
        self.connectionID = connectionID
        self.eventRow = eventRow
        connection = try context.connection(connectionID)
        scope = OutboundCaller.Scope(connection: connection.record.name, eventID: event.eventID, jobID: job.id)
        caller = context.caller(scope)
        catalog = try context.catalog(connectionID)
    }
}
