import Core
import Domain
import Testing

/// What makes `ml-connector status` unhealthy, decided from the figures alone.
@Suite("status report")
struct StatusReportTests {
    static func report(expired: Int = 0, late: Int = 0, lastCall: AuditEntry.Outcome? = nil) -> StatusReport {
        let queue = JobStore.QueueStatus(counts: [.available: late], oldestDueSeconds: late > 0 ? 900 : nil,
                                         dueTooLong: late, expiredLeases: expired)
        let call = lastCall.map { outcome in
            AuditRecord(id: 1, at: "2026-12-02T06:00:00Z", entry: AuditEntry(
                action: "slack.post", outcome: outcome, connection: "contoso", detail: outcome == .error ? "invalid_auth" : "",
                call: AuditEntry.Call(method: "POST", target: "/api/chat.postMessage", status: 200, durationMilliseconds: 12)))
        }
        return StatusReport(jobs: queue, approvals: [.pending: 2],
                            connections: [.init(name: "contoso", lastEventAt: nil, lastPostAt: nil, lastCall: call)])
    }

    @Test("healthy when no lease expired, nothing is late and the last call succeeded (or none was made)")
    func healthy() {
        #expect(Self.report().isHealthy)
        #expect(Self.report(lastCall: .ok).isHealthy)
        #expect(Self.report().json["healthy"] == .bool(true))
        #expect(Self.report().json["approvals"]?["pending"]?.int64Value == 2)
        #expect(Self.report().json["approvals"]?["approved"]?.int64Value == 0)
    }

    @Test("each problem is named, and they add up", arguments: [(1, 0, nil), (0, 3, nil), (0, 0, AuditEntry.Outcome.error), (2, 1, .error)])
    func problems(expired: Int, late: Int, call: AuditEntry.Outcome?) {
        let report = Self.report(expired: expired, late: late, lastCall: call)
        #expect(!report.isHealthy)
        #expect(report.problems.count == (expired > 0 ? 1 : 0) + (late > 0 ? 1 : 0) + (call == .error ? 1 : 0))
        if expired > 0 { #expect(report.problems.contains { $0.hasPrefix("\(expired) running job(s) past their lease") }) }
        if late > 0 { #expect(report.problems.contains { $0.contains("(oldest 900 s)") }) }
        if call == .error {
            #expect(report.problems.contains { $0.contains("POST /api/chat.postMessage → 200") && $0.contains("invalid_auth") })
        }
        #expect(report.json["problems"]?.arrayValue?.count == report.problems.count)
    }
}
