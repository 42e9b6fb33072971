import Core
import Testing

@Suite("retention policy")
struct RetentionPolicyTests {
    @Test("defaults: the audit trail and its events longest, caches and receipts a month, completed jobs a week")
    func defaults() {
        let policy = RetentionPolicy()
        let days = Dictionary(uniqueKeysWithValues: RetentionPolicy.Kind.allCases.map { ($0, policy.days($0)) })
        #expect(days == [.audit: 400, .businessEvents: 400, .interactionReceipts: 30, .slackUsers: 30, .refusalCounts: 90,
                         .completedJobs: 7, .discardedJobs: 30])
        #expect(RetentionPolicy.Kind.allCases.allSatisfy { !policy.isOverridden($0) })
        #expect(RetentionPolicy.Kind.allCases.allSatisfy { $0.minimumDays >= 1 && $0.minimumDays <= $0.defaultDays })
        #expect(RetentionPolicy.Kind.audit.minimumDays == 30, "the audit log's trigger refuses younger deletes: keep the two equal")
    }

    @Test("overrides replace defaults; out-of-bounds overrides count as the nearest bound")
    func overrides() {
        let policy = RetentionPolicy(overrides: [.audit: 2, .refusalCounts: 14, .slackUsers: 1_000_000])
        #expect(policy.days(.audit) == 30)
        #expect(policy.days(.refusalCounts) == 14)
        #expect(policy.days(.slackUsers) == RetentionPolicy.maximumDays)
        #expect(policy.days(.completedJobs) == 7)
        #expect(policy.isOverridden(.refusalCounts) && !policy.isOverridden(.completedJobs))
    }

    @Test("periods parse as days, with or without d", arguments: [("400d", 400), ("400", 400), ("1d", 1), ("36500d", 36_500)])
    func parses(text: String, days: Int) throws {
        #expect(try RetentionPolicy.days(parsing: text, for: .completedJobs) == days)
        #expect(RetentionPolicy.format(days: days) == "\(days)d")
    }

    @Test("malformed periods are refused with a message naming the kind",
          arguments: ["", "d", "-5", "+5", "5.5", "1y", "5 d", "1e3", "٣٠", "0x10", "9999999", "12dd"])
    func malformed(text: String) {
        let error = #expect(throws: RetentionError.self) { try RetentionPolicy.days(parsing: text, for: .slackUsers) }
        #expect(error?.code == .malformedPeriod)
        #expect(error?.description.hasPrefix("slack-users:") == true)
    }

    @Test("below the kind's minimum or above the maximum is refused")
    func bounds() throws {
        let low = #expect(throws: RetentionError.self) { try RetentionPolicy.days(parsing: "29d", for: .audit) }
        #expect(low?.code == .belowMinimum)
        #expect(low?.description == "audit must be kept at least 30d; got 29d")
        #expect(throws: RetentionError.self) { try RetentionPolicy.days(parsing: "0", for: .completedJobs) }
        let high = #expect(throws: RetentionError.self) { try RetentionPolicy.days(parsing: "36501", for: .completedJobs) }
        #expect(high?.code == .aboveMaximum)
        #expect(try RetentionPolicy.days(parsing: "30d", for: .audit) == 30)
    }

    @Test("a malformed period is quoted at most 20 characters long")
    func quoted() {
        let error = #expect(throws: RetentionError.self) { try RetentionPolicy.days(parsing: String(repeating: "x", count: 500), for: .audit) }
        #expect(error?.description.count ?? 0 < 80)
    }

    @Test("JSON: every kind in order, with its period, default and whether it was set")
    func json() throws {
        let policy = RetentionPolicy(overrides: [.audit: 500])
        let kinds = try #require(policy.json.arrayValue)
        #expect(kinds.compactMap { $0["kind"]?.stringValue } == RetentionPolicy.Kind.allCases.map(\.rawValue))
        #expect(kinds[0].serialized() == #"{"kind":"audit","days":500,"kept_for":"500d","default_days":400,"overridden":true,"covers":"audit log rows"}"#)
        #expect(kinds[1]["overridden"] == .bool(false))
    }
}
