/// Audit rows kept in memory while a job runs, written by the job's completion in the statement that finishes
/// it (DESIGN.md §8: audit rows travel with the statement they describe, not as commits of their own).
public final class AuditBuffer {
    public var entries: [AuditEntry] = []

    public init() {}

    /// The rows so far, leaving the buffer empty.
    public func take() -> [AuditEntry] {
        defer { entries.removeAll() }
        return entries
    }
}
