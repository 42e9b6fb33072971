/// The plain-text page at `GET /`: what the sandbox serves and the values for `ml-connector connection add`.
enum HomePage {
    static func text(baseURL b: String, config: SandboxConfig) -> String {
        """
        ml-connector-sandbox: local stand-ins for Microsoft Entra ID, Dynamics 365 F&O OData and the Slack Web API.

        Connect ml-connector to it:
          MLC_DYNAMICS_CLIENT_SECRET='\(config.clientSecret)' \\
          MLC_SLACK_BOT_TOKEN='\(config.botToken)' \\
          MLC_SLACK_SIGNING_SECRET='\(config.signingSecret)' \\
          ml-connector connection add sandbox --dynamics-url \(b)/fo --tenant-id sandbox-tenant \\
              --client-id \(config.clientID) --entra-authority \(b)/entra --slack-api-url \(b)/slack/api

          dynamics URL      \(b)/fo
          entra authority   \(b)/entra   (any tenant id)
          client id         \(config.clientID)
          client secret     \(config.clientSecret)
          slack API URL     \(b)/slack/api
          bot token         \(config.botToken)
          signing secret    \(config.signingSecret)

        Entra ID
          POST \(b)/entra/{tenant}/oauth2/v2.0/token   form: grant_type=client_credentials, client_id, client_secret,
                                                        scope=\(b)/fo/.default   (token lifetime \(config.tokenLifetime) s)
        F&O OData (Authorization: Bearer <token>; company-specific data needs ?cross-company=true, default company dat)
          GET   \(b)/fo/data/$metadata   CSDL XML of every entity set below, its enums and the workflow actions
          GET   \(b)/fo/data/VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-104')?cross-company=true
          GET   \(b)/fo/data/PurchaseOrderHeadersV2(dataAreaId='usmf',PurchaseOrderNumber='USMF-000142')?cross-company=true&$expand=PurchaseOrderLinesV2
          GET   \(b)/fo/data/VendInvoiceJourBiEntities?$filter=dataAreaId%20eq%20'usmf'%20and%20InvoiceId%20eq%20'INV-88213'&cross-company=true
          GET   \(b)/fo/data/WorkflowWorkItems(Id=3d8f6a2b-91c4-4e7a-b0d5-6c1e2f3a4b5c)?$select=Id,Status,UserId
          GET   \(b)/fo/data/WorkflowWorkItems?$filter=Status%20eq%20Microsoft.Dynamics.DataEntities.WorkflowWorkItemStatus'Pending'
          GET   \(b)/fo/data/VendorInvoiceHeaders(dataAreaId='usmf',HeaderReference='USMF-VI-000418')?cross-company=true&$expand=VendorInvoiceLine($select=InvoiceLineNumber,Amount)
          GET   \(b)/fo/data/SystemUsers(UserID='alicia')?$select=UserID,Email
          PATCH \(b)/fo/data/<Set>(<full key>)?cross-company=true   (posted VendInvoiceJourBiEntities are read-only)
          POST  \(b)/fo/data/WorkflowWorkItems/Microsoft.Dynamics.DataEntities.validate  {"WorkflowWorkitemInstanceID":"…"}
          POST  \(b)/fo/data/WorkflowWorkItems/Microsoft.Dynamics.DataEntities.complete  {"WorkflowWorkitemInstanceID":"…","Outcome":"Approve"|"Reject"|"RequestChange"|"Delegate","Comment":"…","DelegateUserId":"julia"}
                (Reject and RequestChange need a Comment; Delegate a SystemUsers UserID, and leaves the item Delegated
                with a new Pending work item for the delegate)
          An unknown name in $select, $filter, $expand or a key is F&O's 400 "Could not find a property named …".
          Entity sets (names from fo-schema.json): \(EntityModel.fo.sets.map(\.name).joined(separator: ", ")); page size \(config.pageSize).
        Slack Web API (Authorization: Bearer <bot token>)
          \(b)/slack/api/auth.test | users.lookupByEmail | users.info | chat.postMessage | chat.update | chat.postEphemeral | views.open
            | views.publish (user_id, view of type home) | chat.getPermalink (channel, message_ts)
            | conversations.open (users=U…) | conversations.history (channel, limit, cursor, include_all_metadata)
            | conversations.replies (channel, ts, limit, include_all_metadata)
          chat.postMessage/chat.update take metadata {"event_type":"…","event_payload":{…}}; an update without it keeps it.
          Interactions are signed with the signing secret (v0: HMAC-SHA256 over "v0:<timestamp>:<body>").
          Users: \(SlackWorkspace.users.map { "\($0.email) \($0.id) (DM \($0.dmChannel))" }.joined(separator: ", "))
          Channels: \(SlackWorkspace.channels.sorted().joined(separator: ", ")); \(SlackWorkspace.privateChannel) (bot not a member)
          Pacing: \(config.pacing ? "one chat.postMessage per channel per second (429 + Retry-After: 1)" : "off")
        Control (JSON)
          GET  \(b)/_sandbox/messages            what the bot posted, updated, sent ephemerally and opened as modals
          GET  \(b)/_sandbox/requests            every request received
          GET  \(b)/_sandbox/home/{user}         {"user","view","publications"}: the App Home last published for U…
          POST \(b)/_sandbox/faults              {"service":"slack"|"odata"|"entra","match":"…","method":"POST","status":429,
                                                  "retry_after":1,"count":1,"slack_error":"…","apply":true,"delay_ms":2000}
                apply: the real service handles the request first (its effects happen), then the injected answer replaces
                the real one; delay_ms: the answer is sent that late (without status: the real answer, late);
                slack_error with "needed"/"provided" scopes (missing_scope); "entra_code":7000215 answers an AADSTS error
                in Entra's shape (error, error_description, error_codes) with its usual status
          POST \(b)/_sandbox/config              {"token_lifetime":5,"pacing":false,"page_size":1}
          PUT  \(b)/_sandbox/odata/{Set}         upsert an entity by its key
          GET  \(b)/_sandbox/workitems/{id}      {"Id","Status","UserId","EscalationLevel","completions":[{"outcome","comment","delegated_to"}]}
          POST \(b)/_sandbox/workitems/{id}/complete   {"outcome":"Approve","comment":"done in F&O"}   (decided in F&O)
          POST \(b)/_sandbox/workitems/{id}/delegate   {"to":"julia","new_id":"<guid, optional>"}   → Delegated, plus a
                new Pending work item for the delegate: {"Id","Status":"Delegated","delegate":{"Id","UserId"}}
          POST \(b)/_sandbox/workitems/{id}/reassign   {"to":"julia"}   same Id, still Pending, UserId changed
                (409 when not pending; 400 when "to" is no SystemUsers UserID)
          POST \(b)/_sandbox/workitems/{id}/escalate   {"to":"julia"}   F&O's escalation: same Id, still Pending,
                UserId changed, EscalationLevel one higher
          POST \(b)/_sandbox/users/{id}/tz       {"tz":"Asia/Tokyo","tz_offset":32400,"tz_label":"…"}   the Slack user's
                time zone for users.info (fixed offsets; U04ALICIA -18000, U05JULIA 0 by default)
          POST \(b)/_sandbox/triggers            a trigger_id for views.open (valid 3 s)
          POST \(b)/_sandbox/interactions        a button click, as Slack signs and sends it (block_actions):
                {"channel":"D04ALICIADM","ts":"<message ts>","action_id":"mlc.approve"|"mlc.reject"|"mlc.request_change"|"mlc.delegate","user":"U04ALICIA",
                 "timestamp_offset":0,"url":"http://127.0.0.1:…/<handler>"}
                → {"headers":{…},"body":"payload=…","trigger_id":"…"} (+ "status","response_body" when url is given)
          POST \(b)/_sandbox/interactions/submission   a modal submission (view_submission), signed the same way:
                {"view_id":"<views.open id; default the latest>","text":"<reason>" or "values":{"<block_id>":{"<action_id>":"…"}},
                 "user":"U04ALICIA","timestamp_offset":0,"url":"…"}; a users_select input takes a user id and is
                 submitted as its selected_user
          POST \(b)/_sandbox/events/app_home_opened   the Events API event_callback of a user opening the Home tab (JSON,
                signed the same way): {"user":"U04ALICIA","tab":"home"|"messages","event_id":"<optional>","url":"…"}
          POST \(b)/slack/response/{id}           the response_url of a click: {"text","blocks","response_type","replace_original"}
          POST \(b)/_sandbox/reset               back to the seed; clears messages, requests, faults and tokens
        AWS Lambda Runtime API (one function: start it with AWS_LAMBDA_RUNTIME_API=\(b.dropFirst("http://".count)))
          GET  \(b)/2018-06-01/runtime/invocation/next           long-polls until an invocation is queued
          POST \(b)/2018-06-01/runtime/invocation/{id}/response  202; 400 InvalidRequestID; 413 over 6 MiB
          POST \(b)/2018-06-01/runtime/invocation/{id}/error     {"errorMessage","errorType"} → 202
          POST \(b)/2018-06-01/runtime/init/error                recorded, fails the waiting invocations → 202
          POST \(b)/_sandbox/lambda/invoke?timeout_ms=30000      a payload 2.0 event → the function's answer (504 on timeout;
                a function error: X-Amz-Function-Error with the error object)
          GET  \(b)/_sandbox/lambda/invocations                  what was asked and answered (handler_ms), init errors
        Command line
          ml-connector-sandbox click --sandbox \(b) --channel D04ALICIADM --ts <ts> --action approve|reject|request_change|delegate --url <handler URL>
          ml-connector-sandbox submit --sandbox \(b) --text "<reason>" --url <handler URL>
          ml-connector-sandbox send-event --url <handler URL> --fixture purchase-order-confirmed

        """
    }
}
