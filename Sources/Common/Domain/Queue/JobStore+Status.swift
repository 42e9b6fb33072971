public import Core

/// The queue as `ml-connector status` shows it (DESIGN.md §6.2).
extension JobStore {
    public struct QueueStatus: Sendable, Equatable {
        /// Jobs per state (every state, zero included).
        public var counts: [JobState: Int]
        /// How long the oldest due job has waited, in seconds; nil when none is due.
        public var oldestDueSeconds: Int?
        /// Jobs due for longer than the limit asked for (no worker is draining the queue?).
        public var dueTooLong: Int
        /// Running jobs whose lease has expired: their worker died (the next claim reaps them).
        public var expiredLeases: Int

        public init(counts: [JobState: Int], oldestDueSeconds: Int?, dueTooLong: Int, expiredLeases: Int) {
            self.counts = counts
            self.oldestDueSeconds = oldestDueSeconds
            self.dueTooLong = dueTooLong
            self.expiredLeases = expiredLeases
        }
    }

    public func queueStatus(dueLimitSeconds: Int) throws(PostgresError) -> QueueStatus {
        var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
        for row in try db.query("SELECT state::text AS state, count(*) AS n FROM job GROUP BY state").rows {
            if let state = JobState(rawValue: try row.string("state")) { counts[state] = Int(try row.int64("n")) }
        }
        guard let row = try db.query("""
            SELECT (SELECT floor(extract(epoch FROM now() - min(run_at)))::bigint FROM job
                    WHERE state = 'available' AND run_at <= now()) AS oldest,
                   (SELECT count(*) FROM job WHERE state = 'available'
                    AND run_at < now() - make_interval(secs => \(dueLimitSeconds))) AS late,
                   (SELECT count(*) FROM job WHERE state = 'running' AND locked_until < now()) AS expired
            """).first
        else { throw PostgresError(kind: .protocolFailure, serverMessage: "SELECT gave no row") }
        return QueueStatus(counts: counts, oldestDueSeconds: try row.optionalInt64("oldest").map(Int.init),
                           dueTooLong: Int(try row.int64("late")), expiredLeases: Int(try row.int64("expired")))
    }
}
