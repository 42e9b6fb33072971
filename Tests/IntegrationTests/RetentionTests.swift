import Core
import Domain
import Jobs
import Foundation
import Logging
import InMemoryLogging
import Testing

/// Retention (issue 11 item 6, DESIGN.md §7): rows past their age go, younger ones and open approvals' history stay,
/// in batches, as the operator set it; through the stores' sweep directly and through the real `process-job`.
@Suite("retention", .needsDatabase)
struct RetentionTests {
    let database: TestDatabase
    let db: PostgresConnection
    let connectionID: Int64
    static let connection = "contoso"

    init() throws {
        database = try TestDatabase()
        db = try database.connect()
        let box = SecretBox(keys: MasterKeys(current: try MasterKey(bytes: [UInt8](repeating: 9, count: 32))))
        connectionID = try ConnectionStore(db).add(
            name: Self.connection, tenantID: "t", clientID: "c", entraAuthority: "http://127.0.0.1:9", slackAPIURL: "http://127.0.0.1:9",
            eventKeyHash: EventKey.hash("retention-key"), secrets: ConnectionSecrets([:]), box: box).id
    }

    // MARK: Rows of every kind, backdated

    private let serial = Counter()

    /// A business event received `days` ago; its row id.
    private func event(_ eventID: String, daysAgo days: Int) throws -> Int64 {
        try db.query("""
            INSERT INTO business_event (connection_id, event_id, business_event_id, control_number, payload, disposition, received_at)
            VALUES (\(connectionID), \(eventID), 'Workflow_1_WorkItem', \(serial.next()), '{}', 'queued', now() - make_interval(days => \(days)))
            RETURNING id
            """).first!.int64("id")
    }

    /// A job in `state` that finished `days` ago (nil: still available), with one attempt; its id.
    private func job(_ state: JobState, finishedDaysAgo days: Int?, event: Int64? = nil) throws -> Int64 {
        let id = try db.query("""
            INSERT INTO job (kind, connection_id, business_event_id, state, finalized_at)
            VALUES ('deliver_event', \(connectionID), \(event), \(state.rawValue)::job_state,
                    now() - make_interval(days => \(days)))
            RETURNING id
            """).first!.int64("id")
        try db.query("INSERT INTO job_attempt (job_id, attempt, started_at, outcome) VALUES (\(id), 1, now(), 'ok')")
        return id
    }

    private func audit(_ action: String, daysAgo days: Int, eventID: String? = nil, jobID: Int64? = nil) throws {
        try db.query("""
            INSERT INTO audit_log (at, connection, event_id, job_id, action, outcome)
            VALUES (now() - make_interval(days => \(days)), \(Self.connection), \(eventID), \(jobID), \(action), 'ok')
            """)
    }

    private func approval(_ state: ApprovalState, event: Int64, changedDaysAgo days: Int) throws {
        let n = serial.next()
        try db.query("""
            INSERT INTO approval (reference, connection_id, business_event_id, work_item_id, state, updated_at)
            VALUES (\("ref-\(n)"), \(connectionID), \(event), \("wi-\(n)"), \(state.rawValue), now() - make_interval(days => \(days)))
            """)
    }

    private func message(event: Int64?, job: Int64, daysAgo days: Int) throws {
        try db.query("""
            INSERT INTO slack_message (connection_id, business_event_id, job_id, channel_id, ts, posted_at)
            VALUES (\(connectionID), \(event), \(job), 'C1', \("1.\(serial.next())"), now() - make_interval(days => \(days)))
            """)
    }

    private func receipt(_ key: String, daysAgo days: Int) throws {
        try db.query("""
            INSERT INTO interaction_receipt (connection_id, kind, key, received_at)
            VALUES (\(connectionID), 'trigger', \(key), now() - make_interval(days => \(days)))
            """)
    }

    private func slackUser(_ email: String, expiredDaysAgo days: Int) throws {
        try db.query("""
            INSERT INTO slack_user (connection_id, email, slack_user_id, expires_at)
            VALUES (\(connectionID), \(email), 'U1', now() - make_interval(days => \(days)))
            """)
    }

    private func refusals(daysAgo days: Int, status: Int = 401) throws {
        try db.query("""
            INSERT INTO refusal_count (connection, minute, handler, status)
            VALUES (\(Self.connection), date_trunc('minute', now() - make_interval(days => \(days))), 'business-event', \(status))
            """)
    }

    private func count(_ sql: SQL) throws -> Int { try db.query(sql).first!.int("n") }

    private func sweep(_ logs: InMemoryLogHandler = InMemoryLogHandler(), batchSize: Int = 1000,
                       budget: Duration = .seconds(30)) -> RetentionSweep {
        RetentionSweep(db: db, logger: Logger(label: "test") { _ in logs }, batchSize: batchSize, budget: budget)
    }

    // MARK: Tests

    @Test("rows past their kind's period go, younger ones stay; attempts go with their jobs")
    func pastTheirAge() throws {
        let oldEvent = try event("E-OLD", daysAgo: 401)
        let youngEvent = try event("E-YOUNG", daysAgo: 399)
        let closedEvent = try event("E-CLOSED", daysAgo: 450)
        try approval(.approved, event: closedEvent, changedDaysAgo: 401)
        let recentlyClosedEvent = try event("E-DECIDED-LATE", daysAgo: 450)
        try approval(.rejected, event: recentlyClosedEvent, changedDaysAgo: 10)
        let oldCompleted = try job(.completed, finishedDaysAgo: 8, event: oldEvent)
        let youngCompleted = try job(.completed, finishedDaysAgo: 6)
        let oldDiscarded = try job(.discarded, finishedDaysAgo: 31)
        let oldCancelled = try job(.cancelled, finishedDaysAgo: 31)
        let youngDiscarded = try job(.discarded, finishedDaysAgo: 29)
        let waiting = try job(.available, finishedDaysAgo: nil, event: youngEvent)
        try message(event: oldEvent, job: oldCompleted, daysAgo: 401)
        try message(event: youngEvent, job: 999_001, daysAgo: 399)
        try audit("old", daysAgo: 401, eventID: "E-OLD")
        try audit("young", daysAgo: 399, eventID: "E-OLD")
        try receipt("old", daysAgo: 31)
        try receipt("young", daysAgo: 29)
        try slackUser("old@example.com", expiredDaysAgo: 31)
        try slackUser("young@example.com", expiredDaysAgo: 29)
        try refusals(daysAgo: 91)
        try refusals(daysAgo: 89)

        let logs = InMemoryLogHandler()
        let report = try sweep(logs).run()
        #expect(report.finished)
        #expect(report.deleted == [.completedJobs: 1, .discardedJobs: 2, .postedMessages: 1, .closedApprovals: 1, .businessEvents: 2,
                                   .audit: 1, .interactionReceipts: 1, .slackUsers: 1, .refusalCounts: 1])

        #expect(try count("SELECT count(*) AS n FROM business_event WHERE event_id IN ('E-OLD', 'E-CLOSED')") == 0)
        #expect(try count("SELECT count(*) AS n FROM business_event WHERE event_id IN ('E-YOUNG', 'E-DECIDED-LATE')") == 2,
                "a young event, and an old one whose approval closed ten days ago")
        #expect(try count("SELECT count(*) AS n FROM approval") == 1)
        let jobs = try db.query("SELECT id FROM job ORDER BY id").rows.map { try $0.int64("id") }
        #expect(jobs == [youngCompleted, youngDiscarded, waiting])
        #expect(try count("SELECT count(*) AS n FROM job_attempt WHERE job_id IN (\(oldCompleted), \(oldDiscarded), \(oldCancelled))") == 0)
        #expect(try count("SELECT count(*) AS n FROM job_attempt") == 3)
        #expect(try count("SELECT count(*) AS n FROM slack_message") == 1)
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE action IN ('old', 'young')") == 1)
        #expect(try count("SELECT count(*) AS n FROM interaction_receipt WHERE key = 'young'") == 1)
        #expect(try count("SELECT count(*) AS n FROM interaction_receipt") == 1)
        #expect(try count("SELECT count(*) AS n FROM slack_user WHERE email = 'young@example.com'") == 1)
        #expect(try count("SELECT count(*) AS n FROM slack_user") == 1)
        #expect(try count("SELECT count(*) AS n FROM refusal_count") == 1)

        let audited = try AuditStore(db).entries().filter { $0.entry.action == "retention.purge" }
        #expect(audited.count == 1)
        #expect(audited.first?.entry.detail == "deleted past retention: completed jobs 1 (completed-jobs 7d), discarded jobs 2 "
                + "(discarded-jobs 30d), posted messages 1 (business-events 400d), closed approvals 1 (business-events 400d), "
                + "business events 2 (business-events 400d), audit rows 1 (audit 400d), interaction receipts 1 (interaction-receipts 30d), "
                + "slack users 1 (slack-users 30d), refusal counts 1 (refusal-counts 90d)")
        let line = try #require(logs.entries.first { $0.message == "retention sweep" })
        #expect(line.level == .info)
        #expect(line.metadata["audit_rows"] == "1")
        #expect(line.metadata["finished"] == "true")

        let again = try sweep().run()
        #expect(again.total == 0, "nothing left past its period")
        #expect(try AuditStore(db).entries().filter { $0.entry.action == "retention.purge" }.count == 1, "a sweep that deletes nothing is not audited")
    }

    @Test("an approval that is not final keeps its event, jobs, posted-message records and audit rows, whatever their age",
          arguments: ApprovalState.allCases.filter { !$0.isFinal })
    func openApprovalsStay(state: ApprovalState) throws {
        let held = try event("E-HELD", daysAgo: 900)
        try approval(state, event: held, changedDaysAgo: 900)
        let heldJob = try job(.completed, finishedDaysAgo: 900, event: held)
        let heldDiscarded = try job(.discarded, finishedDaysAgo: 900, event: held)
        try message(event: held, job: 999_002, daysAgo: 900)
        try audit("held by event", daysAgo: 900, eventID: "E-HELD")
        try audit("held by job", daysAgo: 900, jobID: heldDiscarded)
        // The same story with a final approval goes.
        let closed = try event("E-GONE", daysAgo: 900)
        try approval(.decidedInDynamics, event: closed, changedDaysAgo: 900)
        let closedJob = try job(.completed, finishedDaysAgo: 900, event: closed)
        try message(event: closed, job: 999_003, daysAgo: 900)
        try audit("gone by event", daysAgo: 900, eventID: "E-GONE")
        try audit("gone by job", daysAgo: 900, jobID: closedJob)
        // An audit row of another connection with the held event's id is not the held story.
        try db.query("""
            INSERT INTO audit_log (at, connection, event_id, action, outcome) VALUES (now() - interval '900 days', 'other', 'E-HELD', 'other connection', 'ok')
            """)

        _ = try sweep().run()
        #expect(try count("SELECT count(*) AS n FROM business_event") == 1)
        #expect(try count("SELECT count(*) AS n FROM approval WHERE state = \(state.rawValue)") == 1)
        #expect(try db.query("SELECT id FROM job ORDER BY id").rows.map { try $0.int64("id") } == [heldJob, heldDiscarded])
        #expect(try count("SELECT count(*) AS n FROM job_attempt") == 2)
        #expect(try count("SELECT count(*) AS n FROM slack_message WHERE business_event_id = \(held)") == 1)
        #expect(try count("SELECT count(*) AS n FROM slack_message") == 1)
        let actions = Set(try AuditStore(db).entries().map(\.entry.action))
        #expect(actions.isSuperset(of: ["held by event", "held by job"]))
        #expect(actions.isDisjoint(with: ["gone by event", "gone by job", "other connection"]))

        // Once F&O settles it (a while ago), its history goes with the next sweep.
        try db.query("UPDATE approval SET state = 'decided_in_fo', updated_at = now() - interval '401 days'")
        _ = try sweep().run()
        #expect(try count("SELECT count(*) AS n FROM business_event") == 0)
        #expect(try count("SELECT count(*) AS n FROM job") == 0)
        #expect(try count("SELECT count(*) AS n FROM slack_message") == 0)
        #expect(!Set(try AuditStore(db).entries().map(\.entry.action)).contains("held by event"))
    }

    @Test("more rows than one batch go in one sweep, a batch per statement; a spent budget leaves the rest and makes the sweep due soon")
    func batches() throws {
        for n in 0..<35 { try receipt("r\(n)", daysAgo: 31) }
        for n in 0..<25 { try audit("old \(n)", daysAgo: 401) }
        let report = try sweep(batchSize: 10).run()
        #expect(report.finished)
        #expect(report.deleted[.interactionReceipts] == 35 && report.deleted[.audit] == 25)
        #expect(try count("SELECT count(*) AS n FROM interaction_receipt") == 0)

        for n in 0..<35 { try receipt("s\(n)", daysAgo: 31) }
        try db.query("UPDATE maintenance_clock SET last_run_at = '-infinity' WHERE name = \(RetentionSweep.clock)")
        let cut = try #require(try sweep(batchSize: 10, budget: .zero).runIfDue())
        #expect(!cut.finished && cut.total == 0)
        #expect(try count("SELECT count(*) AS n FROM interaction_receipt") == 35)
        let due = try db.query("""
            SELECT extract(epoch FROM now() - last_run_at)::int AS n FROM maintenance_clock WHERE name = \(RetentionSweep.clock)
            """).first!.int("n")
        #expect(due == RetentionSweep.periodSeconds - RetentionSweep.catchUpSeconds, "due again in a minute, not an hour")
        #expect(try sweep().runIfDue() == nil, "not yet due")
        try db.query("UPDATE maintenance_clock SET last_run_at = last_run_at - interval '61 seconds' WHERE name = \(RetentionSweep.clock)")
        #expect(try sweep(batchSize: 10).runIfDue()?.deleted[.interactionReceipts] == 35)
        #expect(try sweep().runIfDue() == nil, "swept: the next one in an hour")
    }

    @Test("the audit log refuses a DELETE outside retention, and retention's of rows younger than 30 days")
    func auditTrigger() throws {
        try audit("29 days", daysAgo: 29)
        try audit("31 days", daysAgo: 31)
        #expect(throws: PostgresError.self) { try db.query("DELETE FROM audit_log WHERE action = '31 days'") }
        let young = #expect(throws: PostgresError.self) {
            try db.transaction { db in
                try db.execute("SET LOCAL mlc.retention = 'on'")
                try db.query("DELETE FROM audit_log WHERE action = '29 days'")
            }
        }
        #expect(young?.sqlState == "42501")
        #expect(try AuditStore(db).purge(olderThanDays: 30, limit: 10, keeping: RetentionHold()) == 1)
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE action = '29 days'") == 1)
        #expect(throws: PostgresError.self) { try db.query("UPDATE audit_log SET detail = 'changed'") }
    }

    @Test("settings change what goes; ml-connector retention shows, sets and resets them, audited")
    func settings() throws {
        try refusals(daysAgo: 20)
        try refusals(daysAgo: 5)
        let cli = CLI(databaseURL: database.url)
        let before = try cli.run(["retention", "--json"])
        #expect(before.status == 0, "\(before.stderr)")
        let lines = try before.stdoutText.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
        #expect(lines.compactMap { $0["kind"]?.stringValue } == RetentionPolicy.Kind.allCases.map(\.rawValue))
        let refusalLine = try #require(lines.first { $0["kind"]?.stringValue == "refusal-counts" })
        #expect(refusalLine["days"] == .number("90") && refusalLine["overridden"] == .bool(false) && refusalLine["past"] == .number("0"))

        let set = try cli.run(["retention", "set", "refusal-counts", "10d"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdoutText.contains("refusal-counts kept for 10d"))
        let shown = try cli.run(["retention"])
        let row = try #require(shown.stdoutText.split(separator: "\n").first { $0.hasPrefix("refusal-counts\t") })
        #expect(row.hasPrefix("refusal-counts\t10d\tset (default 90d)\t1\t"))
        #expect(try RetentionStore(db).policy().days(.refusalCounts) == 10)

        #expect(try sweep().run().deleted[.refusalCounts] == 1)
        #expect(try count("SELECT count(*) AS n FROM refusal_count") == 1)

        let reset = try cli.run(["retention", "reset", "refusal-counts"])
        #expect(reset.status == 0 && reset.stdoutText.contains("kept for its default 90d"))
        #expect(try RetentionStore(db).policy() == RetentionPolicy())
        let details = try AuditStore(db).entries().filter { $0.entry.action.hasPrefix("retention.") && $0.entry.action != "retention.purge" }
            .map { "\($0.entry.action): \($0.entry.detail)" }
        #expect(details == ["retention.set: refusal-counts kept for 10d (was 90d, the default)",
                            "retention.reset: refusal-counts kept for its default 90d (was 10d)"])
    }

    @Test("retention set refuses a bad kind or period with a clear message and a non-zero exit",
          arguments: [(["audit", "7d"], "audit must be kept at least 30d; got 7d"),
                      (["completed-jobs", "soon"], "completed-jobs: \"soon\" is not a period"),
                      (["business-events", "0"], "business-events must be kept at least 30d; got 0d"),
                      (["slack-users", "99999d"], "slack-users can be kept at most 36500d"),
                      (["everything", "30d"], "everything")])
    func badSettings(arguments: [String], message: String) throws {
        let result = try CLI(databaseURL: database.url).run(["retention", "set"] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try count("SELECT count(*) AS n FROM retention_setting") == 0)
    }

    @Test("process-job applies retention once per period, between jobs")
    func throughProcessJob() throws {
        for n in 0..<3 { try receipt("p\(n)", daysAgo: 31) }
        try audit("old", daysAgo: 401)
        let environment = ["MLC_DATABASE_URL": database.url, "MLC_MASTER_KEY": TestEnvironment.masterKey, "MLC_LOG_LEVEL": "info"]
        let first = try ProcessRunner.run(TestEnvironment.binary("process-job"), arguments: [], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try count("SELECT count(*) AS n FROM interaction_receipt") == 0)
        #expect(try count("SELECT count(*) AS n FROM audit_log WHERE action = 'old'") == 0)
        #expect(first.stderr.contains("\"msg\":\"retention sweep\""), "\(first.stderr)")
        #expect(try AuditStore(db).entries().filter { $0.entry.action == "retention.purge" }.count == 1)

        try receipt("later", daysAgo: 31)
        let second = try ProcessRunner.run(TestEnvironment.binary("process-job"), arguments: [], environment: environment)
        #expect(second.status == 0)
        #expect(try count("SELECT count(*) AS n FROM interaction_receipt") == 1, "swept this hour already")
    }

    @Test("migration 5 on a version-4 database: attempts the old prune left behind go, its clock becomes retention's")
    func upgrade() throws {
        let empty = try TestDatabase(migrated: false)
        let old = try empty.connect()
        try SchemaStore(connection: old, migrations: Array(Migration.all.prefix(4))).migrate()
        try old.query("INSERT INTO job (kind, state, finalized_at) VALUES ('deliver_event', 'completed', now())")
        try old.query("INSERT INTO job_attempt (job_id, attempt, started_at, outcome) SELECT id, 1, now(), 'ok' FROM job")
        try old.query("INSERT INTO job_attempt (job_id, attempt, started_at, outcome) VALUES (424242, 1, now(), 'ok')")
        try old.query("UPDATE maintenance_clock SET last_run_at = now() WHERE name = 'prune'")
        #expect(try SchemaStore(connection: old).migrate() == Migration.all.dropFirst(4).map(\.version))
        #expect(try old.query("SELECT count(*) AS n FROM job_attempt").first!.int("n") == 1)
        let clocks = try old.query("SELECT name FROM maintenance_clock ORDER BY name").rows.map { try $0.string("name") }
        #expect(clocks == ["reap", "retention"])
        #expect(try RetentionSweep(db: old, logger: Logger(label: "test") { _ in InMemoryLogHandler() }).runIfDue() != nil,
                "the first sweep comes at once")
    }
}

/// Distinct numbers for control numbers, references and timestamps within one test.
private final class Counter {
    private var value: Int64 = 0
    func next() -> Int64 {
        value += 1
        return value
    }
}
