import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation
import Testing

/// `ml-connector-sandbox` run as a real process on an ephemeral port: the Entra, F&O OData and Slack stand-ins
/// and the control API. Each test starts its own sandbox, so tests may run in parallel.
@Suite("ml-connector-sandbox", .needsDatabase)
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
        let found = try sandbox.odata(Self.invoiceKey + "?cross-company=true&$expand=VendorInvoiceLine", token: token)
        #expect(found.status == 200)
        #expect(text(found).contains("\"ImportedAmount\":12500.00"))
        #expect(text(found).contains("\"Amount\":12500.00"))
        #expect(try object(found)["HeaderReference"] as? String == "USMF-VI-000418")
        #expect((try object(found)["VendorInvoiceLine"] as? [Any])?.count == 1)

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
        let pendingPage = try object(sandbox.odata(notApproved, token: token))
        #expect((pendingPage["value"] as? [[String: Any]])?.map { $0["HeaderReference"] as? String } == ["USMF-VI-000418"])
        #expect(pendingPage["@odata.nextLink"] != nil, "the second pending invoice, USMF-VI-000419, is on the next page")
        let approved = "VendorInvoiceHeaders?$filter=IsApproved%20eq%20Microsoft.Dynamics.DataEntities.NoYes'Yes'&cross-company=true"
        #expect((try object(sandbox.odata(approved, token: token))["value"] as? [Any])?.count == 0)

        let defaultCompany = try object(sandbox.odata("PurchaseOrderLinesV2", token: token))
        #expect((defaultCompany["value"] as? [Any])?.count == 0)
    }

    @Test("OData refuses a missing, unknown or expired token with 401")
    func unauthorized() throws {
        #expect(try sandbox.odata("Workers", token: nil).status == 401)
        #expect(try sandbox.odata("Workers", token: "not-a-token").status == 401)

        try sandbox.config(tokenLifetime: 2)
        let shortLived = try sandbox.token()
        #expect(try sandbox.odata("Workers", token: shortLived).status == 200)
        // Expiry is observed, not slept against: the token is refused within a few seconds of its lifetime.
        let issued = Date()
        var status = 200
        while status == 200 && Date().timeIntervalSince(issued) < 8 {
            Thread.sleep(forTimeInterval: 0.1)
            status = try sandbox.odata("Workers", token: shortLived).status
        }
        #expect(status == 401)
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

    @Test("delegate and reassign move work items like F&O; only pending items move")
    func delegateAndReassign() throws {
        let item = "/_sandbox/workitems/\(Self.workItemID)"
        #expect(try object(sandbox.send("GET", item))["UserId"] as? String == "alicia")
        let reassigned = try object(sandbox.sendJSON("POST", item + "/reassign", #"{"to":"julia"}"#))
        #expect(reassigned["Status"] as? String == "Pending")
        #expect(reassigned["UserId"] as? String == "julia")
        #expect(try sandbox.sendJSON("POST", item + "/reassign", #"{"to":"nobody"}"#).status == 400)
        #expect(try sandbox.sendJSON("POST", item + "/delegate", #"{"to":"nobody"}"#).status == 400)

        let newID = "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
        let delegated = try object(sandbox.sendJSON("POST", item + "/delegate", #"{"to":"alicia","new_id":"\#(newID)"}"#))
        #expect(delegated["Id"] as? String == Self.workItemID)
        #expect(delegated["Status"] as? String == "Delegated")
        #expect((delegated["delegate"] as? [String: Any])?["Id"] as? String == newID)
        #expect((delegated["delegate"] as? [String: Any])?["UserId"] as? String == "alicia")
        #expect(try sandbox.sendJSON("POST", item + "/delegate", #"{"to":"julia"}"#).status == 409)
        #expect(try sandbox.sendJSON("POST", item + "/reassign", #"{"to":"julia"}"#).status == 409)
        #expect(try sandbox.sendJSON("POST", item + "/complete", #"{"outcome":"Approve"}"#).status == 409)

        let token = try sandbox.token()
        let copy = try object(sandbox.odata("WorkflowWorkItems(Id=\(newID))", token: token))
        #expect(copy["Status"] as? String == "Pending")
        #expect(copy["UserId"] as? String == "alicia")
        #expect((copy["Subject"] as? String)?.contains("USMF-VI-000418") == true)
        #expect(copy["CompanyId"] as? String == "usmf")
        let old = try object(sandbox.odata("WorkflowWorkItems(Id=\(Self.workItemID))", token: token))
        #expect(old["Status"] as? String == "Delegated")
        let validate = try sandbox.odata("WorkflowWorkItems/Microsoft.Dynamics.DataEntities.validate", method: "POST", token: token,
                                         body: #"{"WorkflowWorkitemInstanceID":"\#(Self.workItemID)"}"#)
        #expect(text(validate) == #"{"value":false}"#)
        let complete = try sandbox.odata("WorkflowWorkItems/Microsoft.Dynamics.DataEntities.complete", method: "POST", token: token,
                                         body: #"{"WorkflowWorkitemInstanceID":"\#(Self.workItemID)","Outcome":"Approve","Comment":""}"#)
        #expect(complete.status == 400)

        let fresh = try object(sandbox.sendJSON("POST", "/_sandbox/workitems/\(newID)/delegate", #"{"to":"julia"}"#))
        let freshID = try #require((fresh["delegate"] as? [String: Any])?["Id"] as? String)
        #expect(UUID(uuidString: freshID) != nil && freshID != newID)
        let done = try object(sandbox.sendJSON("POST", "/_sandbox/workitems/\(freshID)/complete", #"{"outcome":"Reject","comment":"no"}"#))
        #expect(done["Status"] as? String == "Completed")
        #expect(done["UserId"] as? String == "julia")
    }

    @Test("the control API upserts entities with exact amounts")
    func putEntity() throws {
        try sandbox.putEntity("PurchaseOrderHeadersV2", #"""
            {"dataAreaId":"usmf","PurchaseOrderNumber":"USMF-000999","OrderVendorAccountNumber":"US-104","CurrencyCode":"USD",
             "PurchaseOrderLinesV2":[{"dataAreaId":"usmf","PurchaseOrderNumber":"USMF-000999","LineNumber":1,"LineAmount":12345678901234567.89}]}
            """#)
        try sandbox.putEntity("VendorsV2", #"{"dataAreaId":"usmf","VendorAccountNumber":"US-104","VendorOrganizationName":"<!channel> & Sons"}"#)
        let token = try sandbox.token()
        let order = try sandbox.odata("PurchaseOrderHeadersV2(dataAreaId='usmf',PurchaseOrderNumber='USMF-000999')?cross-company=true&$expand=PurchaseOrderLinesV2",
                                      token: token)
        #expect(text(order).contains("\"LineAmount\":12345678901234567.89"))
        let vendor = try object(sandbox.odata("VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-104')?cross-company=true", token: token))
        #expect(vendor["VendorOrganizationName"] as? String == "<!channel> & Sons")
        #expect(try sandbox.sendJSON("PUT", "/_sandbox/odata/VendorsV2", #"{"VendorAccountNumber":"US-105"}"#).status == 400)
        let unknown = try sandbox.sendJSON("PUT", "/_sandbox/odata/PurchaseOrderHeadersV2",
                                           #"{"dataAreaId":"usmf","PurchaseOrderNumber":"USMF-000998","TotalAmount":1}"#)
        #expect(unknown.status == 400)
        #expect((try object(unknown)["error"] as? String)?.contains("'TotalAmount'") == true)
        #expect(try sandbox.sendJSON("PUT", "/_sandbox/odata/NoSuchSet", "{}").status == 404)
    }

    // MARK: Entity model

    func odataError(_ response: HTTPResponse) throws -> String? {
        (try object(response)["error"] as? [String: Any])?["message"] as? String
    }

    @Test("every entity set of fo-schema.json is served, empty where nothing is seeded; an unknown set is 404")
    func modelSets() throws {
        let token = try sandbox.token()
        for set in ["ApprovalHistories", "VendorPaymentJournalHeaders", "PersonUsers", "EssWorkflowWorkItems"] {
            let response = try sandbox.odata(set + "?cross-company=true", token: token)
            #expect(response.status == 200, "\(set)")
            #expect((try object(response)["value"] as? [Any])?.isEmpty == true, "\(set)")
        }
        let users = try object(sandbox.odata("SystemUsers", token: token))["value"] as? [[String: Any]]
        #expect(users?.map { $0["UserID"] as? String } == ["alicia", "julia"])
        let julia = try object(sandbox.odata("SystemUsers(UserID='julia')", token: token))
        #expect(julia["Email"] as? String == "julia.funderburk@contoso.example")
        let format = "DimensionIntegrationFormats(DimensionFormatName='DataEntityDefaultDimensionFormat',DimensionFormatType='DataEntityDefaultDimensionFormat')"
        #expect(try object(sandbox.odata(format, token: token))["FinancialDimensionFormat"] as? String == "BusinessUnit-Department-CostCenter")
        #expect(try sandbox.odata("DimensionIntegrationFormats(DimensionFormatType='DataEntityDefaultDimensionFormat')", token: token).status == 400)
        #expect(try sandbox.odata("VendorInvoiceLinesV9", token: token).status == 404)
    }

    @Test("an unknown name in $select, $filter, $expand or a key is F&O's 400")
    func unknownNames() throws {
        let token = try sandbox.token()
        let type = "Microsoft.Dynamics.DataEntities.VendorInvoiceHeader"
        let cases = [
            (Self.invoiceKey + "?cross-company=true&$select=InvoiceAmount", "InvoiceAmount"),
            ("VendorInvoiceHeaders?cross-company=true&$select=HeaderReference,InvoiceAmount", "InvoiceAmount"),
            ("VendorInvoiceHeaders?cross-company=true&$filter=InvoiceAmount%20eq%2012500", "InvoiceAmount"),
            (Self.invoiceKey + "?cross-company=true&$expand=VendorInvoiceLines", "VendorInvoiceLines"),
            ("VendorInvoiceHeaders(dataAreaId='usmf',Reference='USMF-VI-000418')?cross-company=true", "Reference"),
        ]
        for (resource, name) in cases {
            let response = try sandbox.odata(resource, token: token)
            #expect(response.status == 400, "\(resource)")
            let error = try object(response)["error"] as? [String: Any]
            #expect(error?["code"] as? String == "")
            #expect(error?["message"] as? String == "Could not find a property named '\(name)' on type '\(type)'.", "\(resource)")
        }
        let nonKey = try sandbox.odata("VendorInvoiceHeaders(dataAreaId='usmf',InvoiceNumber='INV-88213')?cross-company=true", token: token)
        #expect(nonKey.status == 400)
        #expect(try odataError(nonKey) == "No route data was found for this request.")
        let nested = try sandbox.odata(Self.invoiceKey + "?cross-company=true&$expand=VendorInvoiceLine($select=LineAmount)", token: token)
        #expect(try odataError(nested) == "Could not find a property named 'LineAmount' on type 'Microsoft.Dynamics.DataEntities.VendorInvoiceLine'.")
        let patch = try sandbox.odata("VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-104')?cross-company=true", method: "PATCH",
                                      token: token, body: #"{"PaymentTermsName":"Net45"}"#)
        #expect(patch.status == 400)
    }

    @Test("$select returns only the selected properties and @odata.etag; expanded navigations stay, with their own $select")
    func select() throws {
        let token = try sandbox.token()
        let invoice = try object(sandbox.odata(
            Self.invoiceKey + "?cross-company=true&$select=HeaderReference,ImportedAmount&$expand=VendorInvoiceLine($select=InvoiceLineNumber,Amount)",
            token: token))
        #expect(Set(invoice.keys) == ["@odata.context", "@odata.etag", "HeaderReference", "ImportedAmount", "VendorInvoiceLine"])
        let lines = invoice["VendorInvoiceLine"] as? [[String: Any]]
        #expect(lines?.map { Set($0.keys) } == [["InvoiceLineNumber", "Amount"]])

        let pending = "WorkflowWorkItems?$select=Id,Status,UserId&$filter=Status%20eq%20Microsoft.Dynamics.DataEntities.WorkflowWorkItemStatus'Pending'"
        let items = try object(sandbox.odata(pending, token: token))["value"] as? [[String: Any]]
        #expect(items?.map { Set($0.keys) } == [["@odata.etag", "Id", "Status", "UserId"], ["@odata.etag", "Id", "Status", "UserId"]])
        #expect(items?.first?["UserId"] as? String == "alicia")

        let line = try object(sandbox.odata("VendorInvoiceLines?cross-company=true&$select=Amount&$expand=VendorInvoiceHeader", token: token))
        let header = ((line["value"] as? [[String: Any]])?.first?["VendorInvoiceHeader"]) as? [String: Any]
        #expect(header?["HeaderReference"] as? String == "USMF-VI-000418")
    }

    /// A python3 script printing, as JSON, what a CSDL document (its path the first argument) declares.
    static let csdlSummary = """
        import sys, json, xml.etree.ElementTree as E
        root = E.parse(sys.argv[1]).getroot()
        N = '{http://docs.oasis-open.org/odata/ns/edm}'
        schema = root.find('{http://docs.oasis-open.org/odata/ns/edmx}DataServices/' + N + 'Schema')
        out = {'root': root.tag, 'version': root.get('Version'), 'namespace': schema.get('Namespace'),
               'types': {}, 'enums': {}, 'actions': {}, 'sets': {}}
        for t in schema.findall(N + 'EntityType'):
            out['types'][t.get('Name')] = {
                'key': [p.get('Name') for p in t.find(N + 'Key')],
                'properties': {p.get('Name'): [p.get('Type'), p.get('Nullable', 'true')] for p in t.findall(N + 'Property')},
                'navigations': {p.get('Name'): p.get('Type') for p in t.findall(N + 'NavigationProperty')}}
        for e in schema.findall(N + 'EnumType'):
            out['enums'][e.get('Name')] = [m.get('Name') for m in e]
        for a in schema.findall(N + 'Action'):
            out['actions'][a.get('Name')] = {'bound': a.get('IsBound'),
                'parameters': [[p.get('Name'), p.get('Type')] for p in a.findall(N + 'Parameter')],
                'returns': [r.get('Type') for r in a.findall(N + 'ReturnType')]}
        container = schema.find(N + 'EntityContainer')
        out['container'] = container.get('Name')
        for s in container:
            out['sets'][s.get('Name')] = s.get('EntityType')
        print(json.dumps(out))
        """

    @Test("$metadata is well-formed CSDL naming the real sets, properties, navigations, enums and actions")
    func metadata() throws {
        #expect(try sandbox.odata("$metadata", token: nil).status == 401)
        let response = try sandbox.odata("$metadata", token: sandbox.token())
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/xml")
        // python3's xml.etree parses the document (so it is well-formed) and lists what it declares.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-metadata-\(UUID().uuidString).xml")
        try Data(response.body).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let parsed = try ProcessRunner.run("/usr/bin/python3", arguments: ["-c", Self.csdlSummary, file.path], environment: [:])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let csdl = try JSONSerialization.jsonObject(with: Data(parsed.stdoutText.utf8)) as? [String: Any] ?? [:]
        #expect(csdl["root"] as? String == "{http://docs.oasis-open.org/odata/ns/edmx}Edmx")
        #expect(csdl["version"] as? String == "4.0")
        #expect(csdl["namespace"] as? String == "Microsoft.Dynamics.DataEntities")
        let types = csdl["types"] as? [String: [String: Any]] ?? [:]
        let header = types["VendorInvoiceHeader"] ?? [:]
        #expect(header["key"] as? [String] == ["dataAreaId", "HeaderReference"])
        let headerProperties = header["properties"] as? [String: [String]] ?? [:]
        #expect(headerProperties["ImportedAmount"] != nil)
        #expect(headerProperties["InvoiceAmount"] == nil)
        #expect((header["navigations"] as? [String: String])?["VendorInvoiceLine"] == "Collection(Microsoft.Dynamics.DataEntities.VendorInvoiceLine)")
        #expect(((types["VendorInvoiceLine"]?["navigations"]) as? [String: String])?["VendorInvoiceHeader"] == "Microsoft.Dynamics.DataEntities.VendorInvoiceHeader")
        #expect((types["WorkflowWorkItem"]?["properties"] as? [String: [String]])?["Id"] == ["Edm.Guid", "false"])
        #expect((types["WorkflowWorkItem"]?["properties"] as? [String: [String]])?["Status"] == ["Microsoft.Dynamics.DataEntities.WorkflowWorkItemStatus", "true"])
        #expect(types["DimensionIntegrationFormat"]?["key"] as? [String] == ["DimensionFormatName", "DimensionFormatType"])
        #expect(Set(types.keys).isSuperset(of: ["SystemUser", "VendorV2", "PurchaseOrderHeaderV2", "ApprovalHistory", "VendInvoiceJourBiEntity"]))
        #expect((csdl["enums"] as? [String: [String]])?["WorkflowWorkItemStatus"] == ["Pending", "Delegated", "Completed", "Failed"])
        let actions = csdl["actions"] as? [String: [String: Any]] ?? [:]
        let binding = ["WorkflowWorkItem", "Collection(Microsoft.Dynamics.DataEntities.WorkflowWorkItem)"]
        #expect(actions["validate"]?["bound"] as? String == "true")
        #expect(actions["validate"]?["parameters"] as? [[String]] == [binding, ["WorkflowWorkitemInstanceID", "Edm.String"]])
        #expect(actions["validate"]?["returns"] as? [String] == ["Edm.Boolean"])
        #expect(actions["complete"]?["parameters"] as? [[String]] == [binding, ["WorkflowWorkitemInstanceID", "Edm.String"],
                                                                       ["Outcome", "Edm.String"], ["Comment", "Edm.String"],
                                                                       ["DelegateUserId", "Edm.String"]])
        #expect(csdl["container"] as? String == "System")
        let sets = csdl["sets"] as? [String: String] ?? [:]
        #expect(sets["VendorsV2"] == "Microsoft.Dynamics.DataEntities.VendorV2")
        #expect(sets["WorkflowWorkItems"] == "Microsoft.Dynamics.DataEntities.WorkflowWorkItem")
        #expect(sets.count == types.count)
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

    @Test("chat.postMessage stores metadata; conversations.history shows it only with include_all_metadata; conversations.open")
    func metadataAndHistory() throws {
        try sandbox.config(pacing: false)
        let opened = try object(sandbox.send("GET", "/slack/api/conversations.open?users=U05JULIA",
                                             headers: [("Authorization", "Bearer \(SandboxProcess.botToken)")]))
        #expect((opened["channel"] as? [String: Any])?["id"] as? String == "D05JULIADM")
        #expect(try object(sandbox.slack("conversations.open", #"{"users":"U0NOBODY"}"#))["error"] as? String == "user_not_found")

        let metadata = #"{"event_type":"mlc_approval","event_payload":{"work_item":"3d8f6a2b"}}"#
        let posted = try object(sandbox.slack("chat.postMessage", #"{"channel":"U05JULIA","text":"Card","metadata":\#(metadata)}"#))
        #expect(posted["channel"] as? String == "D05JULIADM")
        let ts = try #require(posted["ts"] as? String)
        let message = posted["message"] as? [String: Any]
        #expect((message?["metadata"] as? [String: Any])?["event_type"] as? String == "mlc_approval")
        _ = try sandbox.slack("chat.postMessage", #"{"channel":"D05JULIADM","text":"Second"}"#)
        let updated = try object(sandbox.slack("chat.update", #"{"channel":"D05JULIADM","ts":"\#(ts)","text":"Card, approved"}"#))
        #expect(((updated["message"] as? [String: Any])?["metadata"] as? [String: Any])?["event_type"] as? String == "mlc_approval")
        #expect(try object(sandbox.slack("chat.postMessage", #"{"channel":"C0AP","text":"x","metadata":{"event_type":""}}"#))["error"] as? String
                == "invalid_metadata_format")

        func history(_ query: String) throws -> [String: Any] {
            try object(sandbox.send("GET", "/slack/api/conversations.history?" + query,
                                    headers: [("Authorization", "Bearer \(SandboxProcess.botToken)")]))
        }
        let full = try history("channel=D05JULIADM&include_all_metadata=true")
        let messages = try #require(full["messages"] as? [[String: Any]])
        #expect(messages.map { $0["text"] as? String } == ["Second", "Card, approved"])
        #expect(messages.last?["ts"] as? String == ts)
        #expect(messages.last?["bot_id"] as? String == "B0MLCONNECT")
        #expect(((messages.last?["metadata"] as? [String: Any])?["event_payload"] as? [String: Any])?["work_item"] as? String == "3d8f6a2b")
        #expect(messages.first?["metadata"] == nil)
        let plain = try history("channel=D05JULIADM")
        #expect((plain["messages"] as? [[String: Any]])?.allSatisfy { $0["metadata"] == nil } == true)
        let limited = try history("channel=D05JULIADM&limit=1")
        #expect((limited["messages"] as? [Any])?.count == 1)
        #expect(limited["has_more"] as? Bool == true)
        #expect(try history("channel=C0NOPE")["error"] as? String == "channel_not_found")
        #expect((try history("channel=C0AP")["messages"] as? [Any])?.isEmpty == true)
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

        Thread.sleep(forTimeInterval: 1.2)
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

    // MARK: Slack interactions

    /// A button value with characters that form encoding must carry intact.
    static let approvalValue = #"{"ref":"3d8f6a2b","n":1} a+b=c&d ü ✓"#

    /// Posts a card with Approve/Reject buttons carrying `value` to Alicia's DM; returns its ts.
    func postCard(value: String = approvalValue, text: String = "Invoice INV-88213 needs your approval") throws -> String {
        let button = { (action: String, label: String, style: String) -> JSONValue in
            ["type": "button", "action_id": .string(action), "style": .string(style), "value": .string(value),
             "text": ["type": "plain_text", "text": .string(label)]]
        }
        let message: JSONValue = [
            "channel": "U04ALICIA", "text": .string(text),
            "blocks": [
                ["type": "section", "text": ["type": "mrkdwn", "text": "Invoice *INV-88213*, 12,500.00 USD"]],
                ["type": "actions", "block_id": "mlc.decision",
                 "elements": [button("mlc.approve", "Approve", "primary"), button("mlc.reject", "Reject", "danger")]],
            ],
        ]
        let posted = try object(sandbox.slack("chat.postMessage", message.serialized()))
        return try #require(posted["ts"] as? String)
    }

    /// Whether `headers` sign `body` Slack's way with the sandbox's signing secret.
    func isSigned(_ headers: [String: String], _ body: [UInt8]) throws -> Bool {
        let timestamp = try #require(headers["X-Slack-Request-Timestamp"])
        let expected = Digest.hmacSHA256(key: Array(SandboxProcess.signingSecret.utf8), message: Array("v0:\(timestamp):".utf8) + body)
        return headers["X-Slack-Signature"] == "v0=" + Digest.hex(expected)
    }

    func fixture(_ path: String) throws -> JSONValue {
        try JSONParser.parse(TestEnvironment.fixture(path))
    }

    @Test("a click is a signed block_actions shaped like Slack's, carrying the button value and the message ts")
    func interactionPayload() throws {
        let ts = try postCard()
        let before = Int(Date().timeIntervalSince1970)
        let click = try sandbox.interaction(channel: "D04ALICIADM", ts: ts, actionID: "mlc.approve", user: "U04ALICIA")
        let after = Int(Date().timeIntervalSince1970)

        #expect(click.headers["Content-Type"] == "application/x-www-form-urlencoded")
        let timestamp = try #require(click.headers["X-Slack-Request-Timestamp"].flatMap { Int($0) })
        #expect((before...after).contains(timestamp))
        #expect(try isSigned(click.headers, click.body))
        #expect(click.headers["X-Slack-Signature"]?.wholeMatch(of: /v0=[0-9a-f]{64}/) != nil)
        var tampered = click.body
        tampered[tampered.count - 1] ^= 1
        #expect(try !isSigned(click.headers, tampered))

        let payload = try SandboxProcess.payload(click.body)
        let reference = try fixture("slack/block_actions-approve.json")
        #expect(payload.objectValue?.keys == reference.objectValue?.keys)
        for key in ["user", "container", "team", "channel", "message", "state"] {
            #expect(payload[key]?.objectValue?.keys == reference[key]?.objectValue?.keys, "\(key)")
        }
        #expect(payload["type"] == "block_actions")
        #expect(payload["user"]?["id"] == "U04ALICIA")
        #expect(payload["user"]?["username"] == "alicia.thornton")
        #expect(payload["container"] == ["type": "message", "message_ts": .string(ts), "channel_id": "D04ALICIADM", "is_ephemeral": false])
        #expect(payload["channel"]?["id"] == "D04ALICIADM")
        #expect(payload["message"]?["ts"] == .string(ts))
        #expect(payload["message"]?["text"] == "Invoice INV-88213 needs your approval")
        #expect(payload["message"]?["blocks"]?.arrayValue?.count == 2)
        #expect(payload["trigger_id"] == .string(click.triggerID))
        #expect(payload["response_url"]?.stringValue?.hasPrefix(sandbox.baseURL + "/slack/response/") == true)

        let actions = try #require(payload["actions"]?.arrayValue)
        #expect(actions.count == 1)
        let action = try #require(actions.first)
        #expect(action.objectValue?.keys == reference["actions"]?.arrayValue?.first?.objectValue?.keys)
        #expect(action["type"] == "button")
        #expect(action["action_id"] == "mlc.approve")
        #expect(action["block_id"] == "mlc.decision")
        #expect(action["value"] == .string(Self.approvalValue))
        #expect(action["style"] == "primary")
        #expect(action["text"]?["text"] == "Approve")
        #expect(action["action_ts"]?.stringValue?.wholeMatch(of: /\d+\.\d{6}/) != nil)

        let reject = try SandboxProcess.payload(sandbox.interaction(channel: "U04ALICIA", ts: ts, actionID: "mlc.reject").body)
        #expect(reject["actions"]?.arrayValue?.first?["action_id"] == "mlc.reject")
        #expect(reject["actions"]?.arrayValue?.first?["style"] == "danger")
    }

    @Test("a click sees the latest version of the card; an unknown message or button is 404")
    func interactionLatestVersionAndErrors() throws {
        let ts = try postCard(value: "first")
        let update = try object(sandbox.slack("chat.update", #"{"channel":"D04ALICIADM","ts":"\#(ts)","text":"v2","blocks":[{"type":"actions","block_id":"mlc.decision","elements":[{"type":"button","action_id":"mlc.approve","value":"second","text":{"type":"plain_text","text":"Approve"}}]}]}"#))
        #expect(update["ok"] as? Bool == true)
        let payload = try SandboxProcess.payload(sandbox.interaction(channel: "D04ALICIADM", ts: ts, actionID: "mlc.approve").body)
        #expect(payload["actions"]?.arrayValue?.first?["value"] == "second")
        #expect(payload["message"]?["text"] == "v2")

        func control(_ parameters: [String: Any], _ path: String = "/_sandbox/interactions") throws -> (status: Int, error: String?) {
            let response = try sandbox.sendJSON("POST", path, SandboxProcess.json(parameters))
            return (response.status, try object(response)["error"] as? String)
        }
        let noMessage = try control(["channel": "D04ALICIADM", "ts": "1.000001", "action_id": "mlc.approve", "user": "U04ALICIA"])
        #expect(noMessage.status == 404)
        #expect(noMessage.error?.contains("no message") == true)
        let noButton = try control(["channel": "D04ALICIADM", "ts": ts, "action_id": "mlc.reject", "user": "U04ALICIA"])
        #expect(noButton.status == 404)
        #expect(noButton.error?.contains("mlc.reject") == true)
        #expect(try control(["channel": "D04ALICIADM", "ts": ts, "action_id": "mlc.approve", "user": "U0NOBODY"]).status == 400)
        #expect(try control(["channel": "D04ALICIADM", "ts": ts, "action_id": "mlc.approve", "url": "https://example.com/hook"]).status == 400)
        #expect(try control(["view_id": "V0NONE", "text": "x"], "/_sandbox/interactions/submission").status == 404)
    }

    @Test("views.publish keeps each user's Home (type home, at most 100 blocks); chat.getPermalink; a signed app_home_opened")
    func appHome() throws {
        let ts = try postCard()
        // A read: its arguments in the query string, as Slack takes them (a JSON body is ignored).
        func getPermalink(_ query: String) throws -> [String: Any] {
            try object(sandbox.send("GET", "/slack/api/chat.getPermalink?" + query, headers: [("Authorization", "Bearer \(SandboxProcess.botToken)")]))
        }
        let permalink = try getPermalink("channel=D04ALICIADM&message_ts=\(ts)")
        #expect(permalink["permalink"] as? String == "https://contoso.slack.com/archives/D04ALICIADM/p" + ts.replacingOccurrences(of: ".", with: ""))
        #expect(try getPermalink("channel=D04ALICIADM&message_ts=1.000001")["error"] as? String == "message_not_found")

        #expect(try sandbox.home(user: "U04ALICIA").publications == 0)
        let home = #"{"type":"home","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"Two open approvals"}}]}"#
        #expect(try object(sandbox.slack("views.publish", #"{"user_id":"U04ALICIA","view":\#(home)}"#))["ok"] as? Bool == true)
        let published = try sandbox.home(user: "U04ALICIA")
        #expect(published.publications == 1)
        #expect(((published.view?["blocks"] as? [[String: Any]])?.first?["text"] as? [String: Any])?["text"] as? String == "Two open approvals")
        #expect(try sandbox.home(user: "U05JULIA").view == nil)
        let modal = #"{"type":"modal","blocks":[]}"#
        #expect(try object(sandbox.slack("views.publish", #"{"user_id":"U04ALICIA","view":\#(modal)}"#))["error"] as? String == "invalid_arguments")
        #expect(try object(sandbox.slack("views.publish", #"{"user_id":"U0NOBODY","view":\#(home)}"#))["error"] as? String == "user_not_found")
        let tooMany = JSONValue.object(["type": "home", "blocks": .array(Array(repeating: ["type": "divider"], count: 101))]).serialized()
        #expect(try object(sandbox.slack("views.publish", #"{"user_id":"U04ALICIA","view":\#(tooMany)}"#))["error"] as? String == "invalid_blocks")

        let event = try sandbox.appHomeOpened(user: "U04ALICIA")
        #expect(event.headers["Content-Type"] == "application/json")
        #expect(try isSigned(event.headers, event.body))
        let callback = try JSONParser.parse(event.body)
        #expect(callback["type"] == "event_callback")
        #expect(callback["event_id"]?.stringValue == event.eventID)
        #expect(callback["event"]?["type"] == "app_home_opened")
        #expect(callback["event"]?["user"] == "U04ALICIA")
        #expect(callback["event"]?["channel"] == "D04ALICIADM")
        #expect(callback["event"]?["tab"] == "home")
        #expect(callback["event"]?["view"]?["type"] == "home", "the Home she sees comes with the event")
        #expect(try JSONParser.parse(try sandbox.appHomeOpened(user: "U05JULIA", tab: "messages", eventID: "Ev1").body)["event_id"] == "Ev1")
    }

    @Test("timestamp_offset moves the signing timestamp, and the signature covers the moved timestamp")
    func interactionTimestampOffset() throws {
        let ts = try postCard()
        let now = Int(Date().timeIntervalSince1970)
        let stale = try sandbox.interaction(channel: "D04ALICIADM", ts: ts, actionID: "mlc.approve", timestampOffset: -600)
        let timestamp = try #require(stale.headers["X-Slack-Request-Timestamp"].flatMap { Int($0) })
        #expect(abs(timestamp - (now - 600)) <= 2)
        #expect(try isSigned(stale.headers, stale.body))
        let future = try sandbox.interaction(channel: "D04ALICIADM", ts: ts, actionID: "mlc.approve", timestampOffset: 400)
        #expect(abs((future.headers["X-Slack-Request-Timestamp"].flatMap { Int($0) } ?? 0) - (now + 400)) <= 2)
    }

    @Test("a click's trigger_id opens one modal; its submission carries private_metadata and the typed reason")
    func interactionModal() throws {
        let ts = try postCard()
        let click = try sandbox.interaction(channel: "D04ALICIADM", ts: ts, actionID: "mlc.reject")
        let view: JSONValue = [
            "type": "modal", "callback_id": "mlc.reject_reason", "private_metadata": .string(Self.approvalValue),
            "title": ["type": "plain_text", "text": "Reject invoice"], "submit": ["type": "plain_text", "text": "Reject"],
            "blocks": [
                ["type": "section", "text": ["type": "mrkdwn", "text": "Invoice *INV-88213*"]],
                ["type": "input", "block_id": "mlc.reason", "label": ["type": "plain_text", "text": "Reason"],
                 "element": ["type": "plain_text_input", "action_id": "mlc.reason_input", "multiline": true]],
            ],
        ]
        let request: JSONValue = ["trigger_id": .string(click.triggerID), "view": view]
        let opened = try object(sandbox.slack("views.open", request.serialized()))
        #expect(opened["ok"] as? Bool == true)
        let viewID = try #require((opened["view"] as? [String: Any])?["id"] as? String)
        #expect(try object(sandbox.slack("views.open", request.serialized()))["error"] as? String == "exchanged_trigger_id")

        let reason = "Quantity billed (50) does not match goods received (40) & more"
        let submission = try sandbox.submission(viewID: viewID, text: reason)
        #expect(submission.headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(try isSigned(submission.headers, submission.body))
        let payload = try SandboxProcess.payload(submission.body)
        let reference = try fixture("slack/view_submission-reject-reason.json")
        #expect(payload.objectValue?.keys == reference.objectValue?.keys)
        #expect(payload["type"] == "view_submission")
        #expect(payload["user"]?["id"] == "U04ALICIA")
        #expect(payload["view"]?["id"] == .string(viewID))
        #expect(payload["view"]?["callback_id"] == "mlc.reject_reason")
        #expect(payload["view"]?["private_metadata"] == .string(Self.approvalValue))
        #expect(payload["view"]?["title"]?["text"] == "Reject invoice")
        #expect(payload["view"]?["state"] == ["values": ["mlc.reason": ["mlc.reason_input": ["type": "plain_text_input", "value": .string(reason)]]]])
        for key in reference["view"]?.objectValue?.keys ?? [] { #expect(payload["view"]?[key] != nil, "view lacks \(key)") }
        let trigger = try #require(payload["trigger_id"]?.stringValue)
        #expect(trigger != click.triggerID)

        // Without a view id: the latest view; without text: the input is submitted empty.
        let empty = try SandboxProcess.payload(sandbox.submission(text: nil).body)
        #expect(empty["view"]?["id"] == .string(viewID))
        #expect(empty["view"]?["state"]?["values"]?["mlc.reason"]?["mlc.reason_input"]?["value"] == .null)
    }

    @Test("response_url posts are recorded; replace_original replaces the card")
    func responseURL() throws {
        let ts = try postCard()
        let payload = try SandboxProcess.payload(sandbox.interaction(channel: "D04ALICIADM", ts: ts, actionID: "mlc.approve").body)
        let responseURL = try #require(payload["response_url"]?.stringValue)

        let ephemeral = try sandbox.sendJSON("POST", responseURL, #"{"text":"Only the approver can decide","response_type":"ephemeral","replace_original":false}"#)
        #expect(ephemeral.status == 200)
        #expect(try object(ephemeral)["ok"] as? Bool == true)
        let replaced = try sandbox.sendJSON("POST", responseURL, #"{"text":"Approved","replace_original":true,"blocks":[{"type":"section","text":{"type":"mrkdwn","text":"Approved by <@U04ALICIA>"}}]}"#)
        #expect(replaced.status == 200)

        let recorded = try sandbox.messages().filter { $0["method"] as? String == "response_url" }
        #expect(recorded.map { $0["text"] as? String } == ["Only the approver can decide", "Approved"])
        #expect(recorded.map { $0["response_type"] as? String } == ["ephemeral", nil])
        #expect(recorded.map { $0["replace_original"] as? Bool } == [false, true])
        #expect(recorded.allSatisfy { $0["channel"] as? String == "D04ALICIADM" && $0["ts"] as? String == ts && $0["user"] as? String == "U04ALICIA" })
        #expect((recorded.last?["blocks"] as? [Any])?.count == 1)

        // The card has no buttons any more.
        let again = try sandbox.sendJSON("POST", "/_sandbox/interactions", #"{"channel":"D04ALICIADM","ts":"\#(ts)","action_id":"mlc.approve"}"#)
        #expect(again.status == 404)
        #expect(try sandbox.sendJSON("POST", "/slack/response/nope", #"{"text":"x"}"#).status == 404)
    }

    @Test("with url the interaction is POSTed there and the answer reported; click does the same from the command line")
    func interactionDelivery() throws {
        let ts = try postCard()
        let delivered = try object(sandbox.sendJSON("POST", "/_sandbox/interactions", SandboxProcess.json([
            "channel": "D04ALICIADM", "ts": ts, "action_id": "mlc.approve", "url": sandbox.baseURL + "/hook/slack",
        ])))
        #expect(delivered["status"] as? Int == 404)
        #expect((delivered["response_body"] as? String)?.contains("/hook/slack") == true)
        #expect((delivered["body"] as? String)?.hasPrefix("payload=") == true)
        let hook = try sandbox.requests().first { $0["path"] as? String == "/hook/slack" }
        #expect(hook?["method"] as? String == "POST")

        let binary = TestEnvironment.binary("ml-connector-sandbox")
        let clicked = try ProcessRunner.run(binary, arguments: ["click", "--sandbox", sandbox.baseURL, "--channel", "D04ALICIADM", "--ts", ts,
                                                                "--action", "reject", "--url", sandbox.baseURL + "/hook/cli"], environment: [:])
        #expect(clicked.status == 1)
        #expect(clicked.stdoutText.hasPrefix("HTTP 404\n"))
        #expect(try sandbox.requests().contains { $0["path"] as? String == "/hook/cli" && $0["method"] as? String == "POST" })

        let printed = try ProcessRunner.run(binary, arguments: ["click", "--sandbox", sandbox.baseURL, "--channel", "D04ALICIADM", "--ts", ts,
                                                                "--action", "approve"], environment: [:])
        #expect(printed.status == 0)
        #expect(printed.stdoutText.contains("X-Slack-Signature: v0="))
        #expect(printed.stdoutText.contains("\npayload="))

        let unknown = try ProcessRunner.run(binary, arguments: ["click", "--sandbox", sandbox.baseURL, "--channel", "D04ALICIADM", "--ts", "1.000001",
                                                                "--action", "approve"], environment: [:])
        #expect(unknown.status == 1)
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

    /// The answer to a request sent on a thread of its own, so the test can watch the sandbox meanwhile.
    final class PendingCall: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var outcome: (status: Int, seconds: Double)?

        init(method: String, url: String, headers: [(name: String, value: String)], body: String) {
            let thread = Thread { [self] in
                let started = Date()
                let status = (try? HTTPClient().send(HTTPRequest(method: method, url: url, headers: headers, body: Array(body.utf8))))?.status
                outcome = (status ?? -1, Date().timeIntervalSince(started))
                done.signal()
            }
            thread.start()
        }

        func wait() -> (status: Int, seconds: Double) {
            done.wait()
            return outcome ?? (-1, 0)
        }
    }

    @Test("an applied fault completes the work item although the answer is a 500; a delayed answer is seen by the sandbox at once")
    func appliedAndDelayedFaults() throws {
        let token = try sandbox.token()
        #expect(try sandbox.sendJSON("POST", "/_sandbox/faults", #"{"service":"odata","delay_ms":-1}"#).status == 400)
        #expect(try sandbox.sendJSON("POST", "/_sandbox/faults", #"{"service":"odata","apply":true}"#).status == 400)
        try #require(sandbox.sendJSON("POST", "/_sandbox/faults", #"""
            {"service":"odata","match":"Microsoft.Dynamics.DataEntities.complete","method":"POST","status":500,"apply":true,"delay_ms":1500}
            """#).status == 200)
        let get = try sandbox.odata("WorkflowWorkItems/Microsoft.Dynamics.DataEntities.complete", token: token)
        #expect(get.status == 405, "the fault is for POST only")

        let call = PendingCall(method: "POST", url: sandbox.dynamicsURL + "/data/WorkflowWorkItems/Microsoft.Dynamics.DataEntities.complete",
                               headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                               body: #"{"WorkflowWorkitemInstanceID":"\#(Self.workItemID)","Outcome":"Approve","Comment":"ok"}"#)
        let watched = Date()
        var seen: [String: Any]?
        while seen == nil && Date().timeIntervalSince(watched) < 5 {
            seen = try sandbox.requests().first { $0["method"] as? String == "POST" && ($0["path"] as? String)?.hasSuffix(".complete") == true }
            if seen == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(seen != nil)
        #expect(Date().timeIntervalSince(watched) < 1.2, "the request is recorded before its delayed answer")
        #expect(try object(sandbox.send("GET", "/_sandbox/workitems/\(Self.workItemID)"))["Status"] as? String == "Completed")
        let answer = call.wait()
        #expect(answer.status == 500)
        #expect(answer.seconds >= 1.5)
        #expect((seen?["fault"] as? [String: Any])?["applied"] as? Bool == true)

        try #require(sandbox.sendJSON("POST", "/_sandbox/faults", #"{"service":"slack","match":"chat.postMessage","delay_ms":800}"#).status == 200)
        let started = Date()
        let late = try object(sandbox.slack("chat.postMessage", #"{"channel":"C0AP","text":"late"}"#))
        #expect(Date().timeIntervalSince(started) >= 0.8)
        #expect(late["ok"] as? Bool == true)
        #expect(try sandbox.messages().count == 1)

        try #require(sandbox.sendJSON("POST", "/_sandbox/faults", #"{"service":"slack","match":"chat.postMessage","status":503,"apply":true}"#).status == 200)
        #expect(try sandbox.slack("chat.postMessage", #"{"channel":"C0FINANCE","text":"lost"}"#).status == 503)
        #expect(try sandbox.messages().map { $0["text"] as? String } == ["late", "lost"])
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
