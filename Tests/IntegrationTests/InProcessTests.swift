import Core
import Domain
import Foundation
import InMemoryLogging
import Inbound
import Logging
import Testing

/// The handler and the stores called in process, against real PostgreSQL: what the binary-level tests check
/// from outside, here with the logs and rows in reach.
@Suite("in process: intake handler and stores", .needsDatabase)
struct InProcessTests {
    static let key = "in-process-event-key-0123"

    let database: TestDatabase
    let connectionID: Int64

    init() throws {
        database = try TestDatabase()
        let db = try database.connect()
        let box = SecretBox(keys: MasterKeys(current: try MasterKey(bytes: [UInt8](repeating: 5, count: 32))))
        connectionID = try ConnectionStore(db).add(
            name: "default", tenantID: "t", clientID: "c", entraAuthority: "http://127.0.0.1:9", slackAPIURL: "http://127.0.0.1:9",
            eventKeyHash: EventKey.hash(Self.key), secrets: ConnectionSecrets([.slackBotToken: "xoxb-in-process"]), box: box).id
        try RouteStore(db).add(connectionID: connectionID, pattern: "PurchaseOrder*", legalEntity: nil, minAmount: nil,
                               destination: .channel("C0FINANCE"), fallbackChannel: nil)
    }

    private func handler(_ logs: InMemoryLogHandler, connect: @escaping () throws -> PostgresConnection) -> BusinessEventHandler {
        BusinessEventHandler(logger: Logger(label: "test") { _ in logs }, database: OpenPerRequest(connect: connect))
    }

    private func request(_ body: String, key: String? = key) -> InboundRequest {
        InboundRequest(method: "POST", path: "/default", rawQuery: key.map { "code=\($0)" } ?? "",
                       headers: ["content-type": "application/json"], body: Array(body.utf8))
    }

    @Test("BusinessEventHandler.handle: stored, routed, logged; refusals logged without the key")
    func handle() throws {
        let logs = InMemoryLogHandler()
        let handler = handler(logs) { try database.connect() }
        let po = #"{"BusinessEventId":"PurchaseOrderConfirmedBusinessEvent","EventId":"P1","ControlNumber":1,"LegalEntity":"USMF"}"#
        let started = #"{"BusinessEventId":"Workflow_X_000001_Step_Started","EventId":"W1","ControlNumber":2}"#
        let completed = #"{"BusinessEventId":"Workflow_X_000001_Approve","EventId":"W2","ControlNumber":3}"#
        let answer = handler.handle(request("[\(po),\(started),\(completed)]"))
        #expect(answer.status == 202)
        #expect(String(decoding: answer.body, as: UTF8.self) == #"{"accepted":2,"duplicates":0,"ignored":1}"#)
        let kinds = try database.connect().query("SELECT kind FROM job ORDER BY id").rows.map { try $0.string("kind") }
        #expect(kinds == [JobKind.deliverEvent.rawValue, JobKind.workflowEvent.rawValue])
        let stored = logs.entries.first { $0.message == "events stored" }
        #expect(stored?.metadata["accepted"] == "2")

        let wrong = handler.handle(request(po, key: "not-the-key"))
        #expect(wrong.status == 401)
        let refused = try #require(logs.entries.first { $0.message == "request refused" })
        #expect(refused.metadata["status"] == "401")
        #expect(!logs.entries.contains { "\($0.message) \($0.metadata)".contains("not-the-key") })
    }

    @Test("BusinessEventHandler.handle: a database that cannot be reached is a 503 with Retry-After, logged")
    func databaseDown() {
        let logs = InMemoryLogHandler()
        let handler = handler(logs) { try PostgresConnection(url: "postgresql:///nowhere?host=/nonexistent", connectTimeout: 1) }
        let answer = handler.handle(request(#"{"BusinessEventId":"X","EventId":"E","ControlNumber":1}"#))
        #expect(answer.status == 503)
        #expect(answer.headers.contains { $0.name == "Retry-After" })
        #expect(logs.entries.contains { $0.level == .error && $0.message == "database unavailable" })
    }

    @Test("ApprovalStore: compare-and-set transitions; only the first decision and the assigned approver win")
    func approvals() throws {
        let db = try database.connect()
        let store = ApprovalStore(db)
        let event = try BusinessEventStore(db).store(
            [try BusinessEvent.parse(try JSONParser.parse(Array(#"{"BusinessEventId":"Workflow_X_WorkItem","EventId":"A1","ControlNumber":9}"#.utf8)))],
            for: try #require(try BusinessEventStore(db).intakeTarget(name: "default")))
        #expect(event.ignored == 1)
        let row = try db.query("SELECT id FROM business_event WHERE event_id = 'A1'").first!.int64("id")
        let opened = try store.open(connectionID: connectionID, eventRow: row, workItemID: "W-ITEM", assignee: "Alicia",
                                    legalEntity: "usmf", approverEmail: "a@x.test", approverSlackID: "U1")
        #expect(try store.open(connectionID: connectionID, eventRow: row, workItemID: "w-item", assignee: "alicia", legalEntity: "usmf",
                               approverEmail: nil, approverSlackID: nil).id == opened.id, "one approval per work item and assignee")
        let reassigned = try store.open(connectionID: connectionID, eventRow: row, workItemID: "W-ITEM", assignee: "julia",
                                        legalEntity: "usmf", approverEmail: "j@x.test", approverSlackID: "U2")
        #expect(reassigned.id != opened.id)
        #expect(try store.unsettled(connectionID: connectionID, workItemID: "w-item").map(\.id) == [opened.id, reassigned.id])
        #expect(opened.state == .pending && opened.assignee == "alicia")
        #expect(try store.apply(.recorded(.approve), approvalID: opened.id) == nil, "nothing to record before a decision")
        #expect(try store.beginDecision(approvalID: opened.id, user: "U2", decision: .approve, reason: nil) == nil)
        #expect(try store.beginDecision(approvalID: opened.id, user: "U1", decision: .reject, reason: "wrong amount") != nil)
        #expect(try store.beginDecision(approvalID: opened.id, user: "U1", decision: .approve, reason: nil) == nil)
        let deciding = try #require(try store.record(reference: opened.reference, connectionID: connectionID))
        #expect(deciding.state == .deciding && deciding.decision == .reject && deciding.reason == "wrong amount")
        #expect(deciding.eventID == "A1")
        #expect(try store.apply(.recorded(.reject), approvalID: opened.id) == nil, "recorded only after a send")
        #expect(try store.apply(.send, approvalID: opened.id)?.state == .completing)
        #expect(try store.apply(.answerLost, approvalID: opened.id)?.state == .unconfirmed)
        #expect(try store.apply(.recorded(.reject), approvalID: opened.id)?.state == .rejected)
        #expect(try store.apply(.closedInDynamics, approvalID: opened.id) == nil, "settled for good")
        #expect(try store.apply(.delegated, approvalID: reassigned.id, note: "delegated")?.note == "delegated")
        #expect(try store.unsettled(connectionID: connectionID, workItemID: "W-ITEM").isEmpty)
    }

    @Test("JobStore: enqueue once per dedupe key, claim by kind, finish into typed states; a snooze without a bucket holds back only its job")
    func jobs() throws {
        let db = try database.connect()
        let store = JobStore(db)
        let id = try #require(try store.enqueue(.postMessage, connectionID: connectionID, businessEventRowID: nil,
                                                args: ["event_id": "E9"], dedupeKey: "in-process"))
        #expect(try store.enqueue(.postMessage, connectionID: connectionID, businessEventRowID: nil, args: [:], dedupeKey: "in-process") == nil)
        let job = try #require(try store.claim(worker: "w1", leaseSeconds: 30))
        #expect(job.id == id && job.kind == .postMessage && job.eventID == "E9" && job.attempt == 1)
        #expect(try store.finish(job, .completed, worker: "w2") == nil, "another worker's lease")
        #expect(try store.finish(job, .snooze(error: "429", seconds: 60, rateKey: nil), worker: "w1") == .available)
        let bucket = try db.query("SELECT next_allowed_at <= now() AS open FROM rate_bucket WHERE key = 'default'").first!.bool("open")
        #expect(bucket, "the shared default bucket is not held back")
        try db.query("UPDATE job SET run_at = now() WHERE id = \(id)")
        let again = try #require(try store.claim(worker: "w1", leaseSeconds: 30))
        #expect(again.attempt == 1, "a snooze spends no attempt")
        #expect(try store.finish(again, .discard(error: "no"), worker: "w1") == .discarded)
        #expect(try store.list(state: .discarded, limit: 5).count == 1)
        #expect(try store.replay(ids: [id]) == [id])
    }
}
