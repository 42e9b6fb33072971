/// A job's state (`job_state` in PostgreSQL, job-queue.md §A.7).
public enum JobState: String, Sendable, CaseIterable {
    case available, running, completed, discarded, cancelled
}
