public import Core

/// Every statement on `retention_setting`: the operator's overrides of `RetentionPolicy`'s defaults (a kind without a
/// row keeps its default). Each change is audited in the transaction that makes it.
public struct RetentionStore {
    private let db: PostgresConnection

    public init(_ db: PostgresConnection) { self.db = db }

    /// The policy in force: the defaults with the stored overrides (rows of kinds this version does not know are
    /// left alone).
    public func policy() throws(PostgresError) -> RetentionPolicy {
        var overrides: [RetentionPolicy.Kind: Int] = [:]
        for row in try db.query("SELECT kind, days FROM retention_setting").rows {
            if let kind = RetentionPolicy.Kind(rawValue: try row.string("kind")) { overrides[kind] = try row.int("days") }
        }
        return RetentionPolicy(overrides: overrides)
    }

    /// Keeps `kind` for `days` (validated by `RetentionPolicy.days(parsing:for:)`); returns the policy now in force.
    @discardableResult
    public func set(_ kind: RetentionPolicy.Kind, days: Int) throws -> RetentionPolicy {
        try db.transaction { db in
            let before = try policy()
            try db.query("""
                INSERT INTO retention_setting (kind, days) VALUES (\(kind.rawValue), \(days))
                ON CONFLICT (kind) DO UPDATE SET days = EXCLUDED.days, updated_at = now()
                """)
            let after = try policy()
            try AuditStore(db).record(AuditEntry(action: "retention.set", detail: "\(kind.rawValue) kept for "
                + "\(RetentionPolicy.format(days: after.days(kind))) (was \(Self.describe(kind, in: before)))"))
            return after
        }
    }

    /// Back to the default for `kind`; returns the policy now in force (unchanged when there was no override).
    @discardableResult
    public func reset(_ kind: RetentionPolicy.Kind) throws -> RetentionPolicy {
        try db.transaction { db in
            let before = try policy()
            guard try db.query("DELETE FROM retention_setting WHERE kind = \(kind.rawValue)").affectedRows > 0 else { return before }
            try AuditStore(db).record(AuditEntry(action: "retention.reset", detail: "\(kind.rawValue) kept for its default "
                + "\(RetentionPolicy.format(days: kind.defaultDays)) (was \(Self.describe(kind, in: before)))"))
            return try policy()
        }
    }

    private static func describe(_ kind: RetentionPolicy.Kind, in policy: RetentionPolicy) -> String {
        RetentionPolicy.format(days: policy.days(kind)) + (policy.isOverridden(kind) ? "" : ", the default")
    }
}
