/// Posts one rendered card to one channel (`post_message`). The job's bucket is the channel's, so the claim
/// itself paces posts to one per second per channel across every worker. The channel and `ts` Slack returns are
/// recorded before the job completes.
struct PostMessageJob {
    let context: JobContext
    let job: ClaimedJob

    func run() throws -> JobOutcome {
        guard let connectionID = job.connectionID, let channel = job.args["channel"]?.stringValue,
              let card = job.args["card"]?.objectValue
        else { return .discard(error: "post_message job without connection, channel or card") }
        let eventID = job.args["event_id"]?.stringValue
        let scope = OutboundCaller.Scope(connection: try context.connection(connectionID).record.name, eventID: eventID, jobID: job.id)
        var arguments = card
        arguments["channel"] = .string(channel)
        arguments["unfurl_links"] = false
        let posted = try context.slack(connectionID: connectionID, scope: scope)
            .call("chat.postMessage", arguments, action: "slack.post", detail: "to \(channel)")
        guard let postedChannel = posted["channel"]?.stringValue, let ts = posted["ts"]?.stringValue else {
            return .retry(error: "chat.postMessage answered without channel or ts", after: nil)
        }
        try context.db.transaction { db in
            try db.query("""
                INSERT INTO slack_message (connection_id, business_event_id, job_id, channel_id, ts)
                VALUES ($1, $2, $3, $4, $5) ON CONFLICT (job_id) DO NOTHING
                """, [connectionID, job.businessEventRowID, job.id, postedChannel, ts])
            if let approvalID = job.args["approval_id"]?.int64Value {
                try db.query("""
                    UPDATE approval SET channel_id = $2, message_ts = $3, card = $4::jsonb, summary = $5, updated_at = now()
                    WHERE id = $1
                    """, [approvalID, postedChannel, ts, JSONValue.object(card).serialized(), card["text"]?.stringValue ?? ""])
            }
        }
        return .completed
    }
}
