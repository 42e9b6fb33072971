public import Core

extension StatusReport {
    /// The `status --json` object: `jobs` and `approvals` (a count per state), `oldest_due_seconds`, `discarded`,
    /// `expired_leases`, `connections` (`name`, `last_event_at`, `last_post_at`, `last_call`), `retention` (as `retention --json`),
    /// `problems`, `healthy`.
    public var json: JSONValue {
        var object = JSONObject()
        var jobCounts = JSONObject()
        for state in JobState.allCases { jobCounts[state.rawValue] = .number(String(jobs.counts[state] ?? 0)) }
        object["jobs"] = .object(jobCounts)
        object["oldest_due_seconds"] = jobs.oldestDueSeconds.map { .number(String($0)) } ?? .null
        object["discarded"] = .number(String(jobs.counts[.discarded] ?? 0))
        object["expired_leases"] = .number(String(jobs.expiredLeases))
        object["due_over_limit"] = .number(String(jobs.dueTooLong))
        var approvalCounts = JSONObject()
        for state in ApprovalState.allCases { approvalCounts[state.rawValue] = .number(String(approvals[state] ?? 0)) }
        object["approvals"] = .object(approvalCounts)
        object["connections"] = .array(connections.map { connection in
            var entry = JSONObject()
            entry["name"] = .string(connection.name)
            entry["last_event_at"] = connection.lastEventAt.map(JSONValue.string) ?? .null
            entry["last_post_at"] = connection.lastPostAt.map(JSONValue.string) ?? .null
            entry["last_call"] = connection.lastCall?.json ?? .null
            return .object(entry)
        })
        object["retention"] = retention.json
        object["problems"] = .array(problems.map(JSONValue.string))
        object["healthy"] = .bool(isHealthy)
        return .object(object)
    }
}
