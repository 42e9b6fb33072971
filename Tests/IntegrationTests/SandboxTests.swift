import Common
import Foundation
import Testing

/// `ml-connector-sandbox` run as a real process on an ephemeral port: the Entra, F&O OData and Slack stand-ins
/// and the control API. Each test starts its own sandbox, so tests may run in parallel.
@Suite("ml-connector-sandbox")
struct SandboxTests {
    static let invoiceKey = "VendorInvoiceHeaders(dataAreaId='usmf',HeaderReference='USMF-VI-000418')"
    static let workItemID = "3d8f6a2b-91c4-4e7a-b0d5-6c1e2f3a4b5c"

    let sandbox: SandboxProcess

    init() throws {
        sandbox = try SandboxProcess()
    }

    func text(_ response: HTTPResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    func object(_ response: HTTPResponse) throws -> [String: Any] {
        try SandboxProcess.object(response)
    }

    // MARK: Start-up

    @Test("prints exactly one listening line and serves a home page with the connection values")
    func startUp() throws {
        #expect(sandbox.standardOutput == "listening on \(sandbox.baseURL)\n")
        let home = try sandbox.send("GET", "/")
        #expect(home.status == 200)
        #expect(home.header("content-type")?.hasPrefix("text/plain") == true)
        for value in [sandbox.dynamicsURL, sandbox.entraAuthority, sandbox.slackAPIURL, "sandbox-client", "sandbox-secret",
                      "xoxb-sandbox", "sandbox-signing-secret"] {
            #expect(text(home).contains(value), "home page lacks \(value)")
        }
    }

    // MARK: Entra ID

    @Test("issues tokens for client credentials; wrong secret, scope or grant are refused")
    func tokens() throws {
        let ok = try sandbox.tokenResponse()
        #expect(ok.status == 200)
        let body = try object(ok)
        #expect(body["token_type"] as? String == "Bearer")
        #expect(body["expires_in"] as? Int == 3599)
        #expect(body["ext_expires_in"] as? Int == 3599)
        #expect((body["access_token"] as? String)?.isEmpty == false)

        let wrongSecret = try sandbox.tokenResponse(clientSecret: "nope")
        #expect(wrongSecret.status == 401)
        #expect(try object(wrongSecret)["error"] as? String == "invalid_client")

        for scope in ["https://contoso.operations.dynamics.com/.default", sandbox.dynamicsURL + "//.default",
                      sandbox.dynamicsURL.uppercased() + "/.default"] {
            let wrongScope = try sandbox.tokenResponse(scope: scope)
            #expect(wrongScope.status == 400)
            #expect(try object(wrongScope)["error"] as? String == "invalid_scope")
        }

        let wrongGrant = try sandbox.tokenResponse(grantType: "password")
        #expect(wrongGrant.status == 400)
        #expect(try object(wrongGrant)["error"] as? String == "unsupported_grant_type")

        let entra = try sandbox.requests().filter { $0["service"] as? String == "entra" }
        #expect(entra.count == 6)
        #expect(entra.map { $0["status"] as? Int } == [200, 401, 400, 400, 400, 400])
    }

    // MARK: OData

    @Test("a keyed read of usmf data needs cross-company; amounts keep their digits")
    func keyedRead() throws {
        let token = try sandbox.token()
        let found = try sandbox.odata(Self.invoiceKey + "?cross-company=true&$expand=VendorInvoiceLines", token: token)
        #expect(found.status == 200)
        #expect(text(found).contains("\"InvoiceAmount\":12500.00"))
        #expect(text(found).contains("\"LineAmount\":12500.00"))
        #expect(try object(found)["HeaderReference"] as? String == "USMF-VI-000418")
        #expect((try object(found)["VendorInvoiceLines"] as? [Any])?.count == 1)

        let encoded = try sandbox.odata("VendorInvoiceHeaders(dataAreaId=%27USMF%27,HeaderReference=%27USMF-VI-000418%27)?cross-company=true",
                                        token: token)
        #expect(encoded.status == 200)

        let withoutCrossCompany = try sandbox.odata(Self.invoiceKey, token: token)
        #expect(withoutCrossCompany.status == 404)
        #expect(try object(withoutCrossCompany)["error"] != nil)

        let workItem = try sandbox.odata("WorkflowWorkItems(Id=\(Self.workItemID.uppercased()))", token: token)
        #expect(workItem.status == 200)
        #expect(try object(workItem)["Status"] as? String == "Pending")

        let reads = try sandbox.requests().filter { $0["service"] as? String == "odata" }
        #expect(reads.count == 4)
        #expect((reads.first?["query"] as? String)?.contains("cross-company=true") == true)
    }

    @Test("a positional or incomplete key is refused with 400")
    func positionalKey() throws {
        let token = try sandbox.token()
        for resource in ["VendorsV2('US-104')?cross-company=true", "VendorsV2(VendorAccountNumber='US-104')?cross-company=true"] {
            let response = try sandbox.odata(resource, token: token)
            #expect(response.status == 400)
            let error = try object(response)["error"] as? [String: Any]
            #expect(error?["message"] as? String == "No route data was found for this request.")
        }
        #expect(try sandbox.odata("VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-104')?cross-company=true", token: token).status == 200)
    }

    @Test("collection reads filter, page with @odata.nextLink and understand enum literals")
    func filterAndPaging() throws {
        try sandbox.config(pageSize: 1)
        let token = try sandbox.token()
        let filter = "$filter=dataAreaId%20eq%20'usmf'%20and%20PurchaseOrderNumber%20eq%20'USMF-000142'&cross-company=true"
        let first = try object(sandbox.odata("PurchaseOrderLinesV2?" + filter, token: token))
        #expect((first["value"] as? [[String: Any]])?.map { $0["LineNumber"] as? Int } == [1])
        let next = try #require(first["@odata.nextLink"] as? String)
        #expect(next.hasPrefix(sandbox.dynamicsURL + "/data/PurchaseOrderLinesV2?"))

        let second = try object(sandbox.send("GET", next, headers: [("Authorization", "Bearer \(token)")]))
        #expect((second["value"] as? [[String: Any]])?.map { $0["LineNumber"] as? Int } == [2])
        #expect(second["@odata.nextLink"] == nil)

        let notApproved = "VendorInvoiceHeaders?$filter=IsApproved%20eq%20Microsoft.Dynamics.DataEntities.NoYes'No'&cross-company=true"
        #expect((try object(sandbox.odata(notApproved, token: token))["value"] as? [Any])?.count == 1)
        let approved = "VendorInvoiceHeaders?$filter=IsApproved%20eq%20Microsoft.Dynamics.DataEntities.NoYes'Yes'&cross-company=true"
        #expect((try object(sandbox.odata(approved, token: token))["value"] as? [Any])?.count == 0)

        let defaultCompany = try object(sandbox.odata("PurchaseOrderLinesV2", token: token))
        #expect((defaultCompany["value"] as? [Any])?.count == 0)
    }

    @Test("OData refuses a missing, unknown or expired token with 401")
    func unauthorized() throws {
        #expect(try sandbox.odata("Workers", token: nil).status == 401)
        #expect(try sandbox.odata("Workers", token: "not-a-token").status == 401)

        try sandbox.config(tokenLifetime: 1)
        let shortLived = try sandbox.token()
        #expect(try sandbox.odata("Workers", token: shortLived).status == 200)
        Thread.sleep(forTimeInterval: 1.2)
        #expect(try sandbox.odata("Workers", token: shortLived).status == 401)
        #expect(try sandbox.odata("Workers", token: sandbox.token()).status == 200)
    }

    @Test("posted invoices are read-only; other entities can be patched")
    func postedReadOnly() throws {
        let token = try sandbox.token()
        let posted = "VendInvoiceJourBiEntities(dataAreaId='usmf',SourceKey=5637145391)?cross-company=true"
        let expected = String(decoding: try TestEnvironment.fixture("odata/error-posted-readonly.json"), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for method in ["PATCH", "DELETE"] {
            let refused = try sandbox.odata(posted, method: method, token: token, body: method == "PATCH" ? #"{"InvoiceAmount":1}"# : "")
            #expect(refused.status == 400)
            #expect(text(refused) == expected)
        }
        #expect(try object(sandbox.odata(posted, token: token))["InvoiceAmount"] as? Double == 12500)

        let vendor = "VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-104')?cross-company=true"
        #expect(try sandbox.odata(vendor, method: "PATCH", token: token, body: #"{"OnHoldStatus":"All"}"#).status == 204)
        #expect(try object(sandbox.odata(vendor, token: token))["OnHoldStatus"] as? String == "All")
    }

    @Test("validate and complete a work item; a second completion is refused")
    func workflow() throws {
        let token = try sandbox.token()
        let id = Self.workItemID.uppercased()
        func action(_ name: String, _ body: String) throws -> HTTPResponse {
            try sandbox.odata("WorkflowWorkItems/Microsoft.Dynamics.DataEntities.\(name)", method: "POST", token: token, body: body)
        }
        let validate = #"{"WorkflowWorkitemInstanceID":"\#(id)"}"#
        #expect(text(try action("validate", validate)) == #"{"value":true}"#)
        #expect(text(try action("validate", #"{"WorkflowWorkitemInstanceID":"00000000-0000-0000-0000-000000000001"}"#)) == #"{"value":false}"#)

        let rejectWithoutReason = try action("complete", #"{"WorkflowWorkitemInstanceID":"\#(id)","Outcome":"Reject","Comment":"  "}"#)
        #expect(rejectWithoutReason.status == 400)

        let approve = try action("complete", #"{"WorkflowWorkitemInstanceID":"\#(id)","Outcome":"Approve","Comment":"Looks right"}"#)
        #expect(approve.status == 204)
        #expect(text(try action("validate", validate)) == #"{"value":false}"#)

        let again = try action("complete", #"{"WorkflowWorkitemInstanceID":"\#(id)","Outcome":"Approve","Comment":""}"#)
        #expect(again.status == 400)
        let inner = (try object(again)["error"] as? [String: Any])?["innererror"] as? [String: Any]
        #expect(inner?["message"] as? String == "The work item is not pending.")

        let state = try object(sandbox.send("GET", "/_sandbox/workitems/\(Self.workItemID)"))
        #expect(state["Status"] as? String == "Completed")
        let completions = state["completions"] as? [[String: Any]]
        #expect(completions?.count == 1)
        #expect(completions?.first?["outcome"] as? String == "Approve")
        #expect(completions?.first?["comment"] as? String == "Looks right")
    }

    @Test("a work item completed in F&O is no longer valid")
    func completedInFO() throws {
        let done = try sandbox.sendJSON("POST", "/_sandbox/workitems/\(Self.workItemID)/complete",
                                        #"{"outcome":"Approve","comment":"done in F&O"}"#)
        #expect(done.status == 200)
        let validate = try sandbox.odata("WorkflowWorkItems/Microsoft.Dynamics.DataEntities.validate", method: "POST", token: sandbox.token(),
                                         body: #"{"WorkflowWorkitemInstanceID":"\#(Self.workItemID)"}"#)
        #expect(text(validate) == #"{"value":false}"#)
    }

    @Test("the control API upserts entities with exact amounts")
    func putEntity() throws {
        try sandbox.putEntity("PurchaseOrderHeadersV2", #"""
            {"dataAreaId":"usmf","PurchaseOrderNumber":"USMF-000999","OrderVendorAccountNumber":"US-104","CurrencyCode":"USD",
             "TotalAmount":12345678901234567.89,
             "PurchaseOrderLinesV2":[{"dataAreaId":"usmf","PurchaseOrderNumber":"USMF-000999","LineNumber":1,"LineAmount":12345678901234567.89}]}
            """#)
        try sandbox.putEntity("VendorsV2", #"{"dataAreaId":"usmf","VendorAccountNumber":"US-104","VendorOrganizationName":"<!channel> & Sons"}"#)
        let token = try sandbox.token()
        let order = try sandbox.odata("PurchaseOrderHeadersV2(dataAreaId='usmf',PurchaseOrderNumber='USMF-000999')?cross-company=true&$expand=PurchaseOrderLinesV2",
                                      token: token)
        #expect(text(order).contains("\"TotalAmount\":12345678901234567.89"))
        #expect(text(order).contains("\"LineAmount\":12345678901234567.89"))
        let vendor = try object(sandbox.odata("VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-104')?cross-company=true", token: token))
        #expect(vendor["VendorOrganizationName"] as? String == "<!channel> & Sons")
        #expect(try sandbox.sendJSON("PUT", "/_sandbox/odata/VendorsV2", #"{"VendorAccountNumber":"US-105"}"#).status == 400)
    }

    // MARK: Slack

    @Test("chat.postMessage to a user id goes to the DM; chat.update keeps versions; blocks are recorded verbatim")
    func postMessage() throws {
        let blocks = #"[{"type":"section","block_id":"mlc.summary","text":{"type":"mrkdwn","text":"Invoice *INV-88213*"}}]"#
        let posted = try object(sandbox.slack("chat.postMessage", #"{"channel":"U04ALICIA","text":"Invoice INV-88213","blocks":\#(blocks)}"#))
        #expect(posted["ok"] as? Bool == true)
        #expect(posted["channel"] as? String == "D04ALICIADM")
        let ts = try #require(posted["ts"] as? String)
        #expect(ts.wholeMatch(of: /\d+\.\d{6}/) != nil)
        #expect((posted["message"] as? [String: Any])?["bot_id"] as? String == "B0MLCONNECT")

        let updated = try object(sandbox.slack("chat.update", #"{"channel":"D04ALICIADM","ts":"\#(ts)","text":"Approved","blocks":[]}"#))
        #expect(updated["ok"] as? Bool == true)
        #expect(updated["ts"] as? String == ts)
        let unknown = try object(sandbox.slack("chat.update", #"{"channel":"D04ALICIADM","ts":"1.000001","text":"x"}"#))
        #expect(unknown["error"] as? String == "message_not_found")

        #expect(text(try sandbox.send("GET", "/_sandbox/messages")).contains(#""blocks":\#(blocks)"#))
        let messages = try sandbox.messages()
        #expect(messages.map { $0["method"] as? String } == ["chat.postMessage", "chat.update"])
        #expect(messages.map { $0["version"] as? Int } == [1, 2])
        #expect(messages.allSatisfy { $0["channel"] as? String == "D04ALICIADM" && $0["ts"] as? String == ts })

        let ephemeral = try object(sandbox.slack("chat.postEphemeral", #"{"channel":"C0APPROVALS","user":"U05JULIA","text":"Not yours"}"#))
        #expect(ephemeral["ok"] as? Bool == true)
        #expect(ephemeral["message_ts"] is String)
    }

    @Test("Slack errors: invalid_auth, channel_not_found, not_in_channel, invalid_blocks, no_text")
    func slackErrors() throws {
        func error(_ method: String, _ json: String, token: String = SandboxProcess.botToken) throws -> String? {
            let response = try sandbox.slack(method, json, token: token)
            #expect(response.status == 200)
            let body = try object(response)
            #expect(body["ok"] as? Bool == false)
            return body["error"] as? String
        }
        #expect(try error("chat.postMessage", #"{"channel":"C0AP","text":"x"}"#, token: "xoxb-wrong") == "invalid_auth")
        #expect(try error("auth.test", "{}", token: "") == "invalid_auth")
        #expect(try error("chat.postMessage", #"{"channel":"C0NOPE","text":"x"}"#) == "channel_not_found")
        #expect(try error("chat.postMessage", #"{"channel":"C0PRIVATE","text":"x"}"#) == "not_in_channel")
        let tooMany = "[" + (1...51).map { #"{"type":"section","text":{"type":"mrkdwn","text":"line \#($0)"}}"# }.joined(separator: ",") + "]"
        #expect(try error("chat.postMessage", #"{"channel":"C0AP","text":"x","blocks":\#(tooMany)}"#) == "invalid_blocks")
        let longHeader = String(repeating: "h", count: 151)
        #expect(try error("chat.postMessage", #"{"channel":"C0AP","text":"x","blocks":[{"type":"header","text":{"type":"plain_text","text":"\#(longHeader)"}}]}"#)
                == "invalid_blocks")
        #expect(try error("chat.postMessage", #"{"channel":"C0AP"}"#) == "no_text")
        #expect(try sandbox.messages().isEmpty)

        let fifty = "[" + (1...50).map { #"{"type":"section","text":{"type":"mrkdwn","text":"line \#($0)"}}"# }.joined(separator: ",") + "]"
        #expect(try object(sandbox.slack("chat.postMessage", #"{"channel":"C0AP","text":"x","blocks":\#(fifty)}"#))["ok"] as? Bool == true)
    }

    @Test("pacing: a second post to the same channel within a second gets 429 with Retry-After; other channels do not")
    func pacing() throws {
        let first = try sandbox.slack("chat.postMessage", #"{"channel":"C0AP","text":"one"}"#)
        #expect(try object(first)["ok"] as? Bool == true)
        let second = try sandbox.slack("chat.postMessage", #"{"channel":"C0AP","text":"two"}"#)
        #expect(second.status == 429)
        #expect(second.header("retry-after") == "1")
        #expect(try object(second)["error"] as? String == "ratelimited")
        let other = try sandbox.slack("chat.postMessage", #"{"channel":"C0FINANCE","text":"three"}"#)
        #expect(other.status == 200)
        #expect(try object(other)["ok"] as? Bool == true)

        Thread.sleep(forTimeInterval: 1.05)
        #expect(try object(sandbox.slack("chat.postMessage", #"{"channel":"C0AP","text":"four"}"#))["ok"] as? Bool == true)
        #expect(try sandbox.messages().map { $0["text"] as? String } == ["one", "three", "four"])
        let slackStatuses = try sandbox.requests().filter { $0["service"] as? String == "slack" }.map { $0["status"] as? Int }
        #expect(slackStatuses == [200, 429, 200, 200])

        try sandbox.config(pacing: false)
        for _ in 0..<3 { #expect(try sandbox.slack("chat.postMessage", #"{"channel":"C0AP","text":"burst"}"#).status == 200) }
    }

    @Test("users.lookupByEmail finds seeded users case-insensitively, by GET or form")
    func lookupByEmail() throws {
        let auth = [(name: "Authorization", value: "Bearer \(SandboxProcess.botToken)")]
        let found = try object(sandbox.send("GET", "/slack/api/users.lookupByEmail?email=Alicia.Thornton%40contoso.example", headers: auth))
        #expect(found["ok"] as? Bool == true)
        #expect((found["user"] as? [String: Any])?["id"] as? String == "U04ALICIA")

        let form = try object(sandbox.send("POST", "/slack/api/users.lookupByEmail",
                                           headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                           body: "token=\(SandboxProcess.botToken)&email=julia.funderburk%40contoso.example"))
        #expect((form["user"] as? [String: Any])?["id"] as? String == "U05JULIA")

        let missing = try object(sandbox.send("GET", "/slack/api/users.lookupByEmail?email=nobody%40contoso.example", headers: auth))
        #expect(missing["ok"] as? Bool == false)
        #expect(missing["error"] as? String == "users_not_found")

        let me = try object(sandbox.slack("auth.test", "{}"))
        #expect(me["bot_id"] as? String == "B0MLCONNECT")
        #expect(me["team_id"] as? String == "T0CONTOSO")
    }

    @Test("views.open accepts a trigger id issued by the sandbox, once")
    func viewsOpen() throws {
        let trigger = try #require(try object(sandbox.send("POST", "/_sandbox/triggers"))["trigger_id"] as? String)
        let view = #"{"type":"modal","callback_id":"mlc.reject_reason","title":{"type":"plain_text","text":"Reject invoice"},"blocks":[]}"#
        let opened = try object(sandbox.slack("views.open", #"{"trigger_id":"\#(trigger)","view":\#(view)}"#))
        #expect(opened["ok"] as? Bool == true)
        #expect(((opened["view"] as? [String: Any])?["id"] as? String)?.hasPrefix("V") == true)
        #expect(try object(sandbox.slack("views.open", #"{"trigger_id":"\#(trigger)","view":\#(view)}"#))["ok"] as? Bool == false)
        #expect(try object(sandbox.slack("views.open", #"{"trigger_id":"123.456.abc","view":\#(view)}"#))["error"] as? String
                == "invalid_trigger_id")
        let recorded = try sandbox.messages()
        #expect(recorded.count == 1)
        #expect(recorded.first?["method"] as? String == "views.open")
        #expect((recorded.first?["view"] as? [String: Any])?["callback_id"] as? String == "mlc.reject_reason")
    }

    // MARK: Faults and reset

    @Test("injected faults answer the next matching requests, then the service recovers")
    func faults() throws {
        let token = try sandbox.token()
        try sandbox.fault(service: "odata", match: "VendorsV2", status: 503, count: 1)
        let vendor = "VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-104')?cross-company=true"
        let failed = try sandbox.odata(vendor, token: token)
        #expect(failed.status == 503)
        #expect(try object(failed)["error"] != nil)
        #expect(try sandbox.odata(vendor, token: token).status == 200)
        let odata = try sandbox.requests().filter { $0["service"] as? String == "odata" }.map { $0["status"] as? Int }
        #expect(odata == [503, 200])

        try sandbox.fault(service: "slack", match: "chat.postMessage", status: 429, retryAfter: 7)
        let limited = try sandbox.slack("chat.postMessage", #"{"channel":"C0AP","text":"x"}"#)
        #expect(limited.status == 429)
        #expect(limited.header("retry-after") == "7")
        #expect(try object(limited)["error"] as? String == "ratelimited")

        try sandbox.fault(service: "slack", count: 2, slackError: "channel_not_found")
        for _ in 0..<2 {
            let response = try sandbox.slack("chat.postMessage", #"{"channel":"C0AP","text":"x"}"#)
            #expect(response.status == 200)
            #expect(try object(response)["error"] as? String == "channel_not_found")
        }
        #expect(try object(sandbox.slack("chat.postMessage", #"{"channel":"C0AP","text":"x"}"#))["ok"] as? Bool == true)

        try sandbox.fault(service: "entra", status: 500)
        #expect(try sandbox.tokenResponse().status == 500)
        #expect(try sandbox.tokenResponse().status == 200)
    }

    @Test("reset clears messages, requests, faults and tokens and restores the seed")
    func reset() throws {
        let token = try sandbox.token()
        _ = try sandbox.slack("chat.postMessage", #"{"channel":"C0AP","text":"x"}"#)
        try sandbox.putEntity("VendorsV2", #"{"dataAreaId":"usmf","VendorAccountNumber":"US-999","VendorOrganizationName":"Temp"}"#)
        _ = try sandbox.sendJSON("POST", "/_sandbox/workitems/\(Self.workItemID)/complete", #"{"outcome":"Approve"}"#)
        try sandbox.fault(service: "odata", status: 500, count: 5)
        try sandbox.config(pageSize: 1)

        try sandbox.reset()
        #expect(try sandbox.requests().map { $0["path"] as? String } == ["/_sandbox/reset"])
        #expect(try sandbox.messages().isEmpty)
        #expect(try sandbox.odata("Workers", token: token).status == 401)
        let fresh = try sandbox.token()
        #expect(try sandbox.odata("VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-999')?cross-company=true", token: fresh).status == 404)
        #expect((try object(sandbox.odata("Workers", token: fresh))["value"] as? [Any])?.count == 2)
        #expect(try object(sandbox.send("GET", "/_sandbox/workitems/\(Self.workItemID)"))["Status"] as? String == "Pending")
    }

    // MARK: send-event

    @Test("send-event POSTs a built-in fixture as JSON and prints the answer")
    func sendEvent() throws {
        let binary = TestEnvironment.binary("ml-connector-sandbox")
        let result = try ProcessRunner.run(binary, arguments: ["send-event", "--url", sandbox.baseURL + "/_sandbox/triggers?code=k",
                                                               "--fixture", "purchase-order-confirmed"], environment: [:])
        #expect(result.status == 0)
        #expect(result.stdoutText.hasPrefix("HTTP 200\n{\"trigger_id\":"))

        let notFound = try ProcessRunner.run(binary, arguments: ["send-event", "--url", sandbox.baseURL + "/hook/default?code=k",
                                                                 "--fixture", "endpoint-test"], environment: [:])
        #expect(notFound.status == 1)
        #expect(notFound.stdoutText.hasPrefix("HTTP 404\n"))
        let hook = try sandbox.requests().first { $0["path"] as? String == "/hook/default" }
        #expect(hook?["method"] as? String == "POST")
        #expect(hook?["query"] as? String == "code=k")

        let unknown = try ProcessRunner.run(binary, arguments: ["send-event", "--url", sandbox.baseURL, "--fixture", "nope"], environment: [:])
        #expect(unknown.status != 0)
    }
}
