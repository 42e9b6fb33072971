@testable import Core
@testable import Domain
@testable import Inbound
import Foundation
import Testing

@Suite("request parsing")
struct InboundTests {
    @Test("F&O dates: /Date(ms)/, ISO 8601 with 7 fractional digits, date-only, offsets")
    func timestamps() {
        #expect(FOTimestamp("/Date(1764403200000)/")?.postgresText == "2025-11-29 08:00:00.000000+00")
        #expect(FOTimestamp("/Date(1764403200000+0100)/")?.microseconds == 1_764_403_200_000_000)
        #expect(FOTimestamp("/Date(-2208988800000)/")?.postgresText == "1900-01-01 00:00:00.000000+00")
        #expect(FOTimestamp("2023-10-16T15:42:46.3440655Z")?.postgresText == "2023-10-16 15:42:46.344065+00")
        #expect(FOTimestamp("2025-11-29T12:00:00Z")?.microseconds == FOTimestamp("2025-11-29T13:00:00+01:00")?.microseconds)
        #expect(FOTimestamp("2024-02-29")?.postgresText == "2024-02-29 00:00:00.000000+00")
        for bad in ["", "yesterday", "/Date(abc)/", "2023-02-29T00:00:00Z", "2023-13-01", "2023-10-16T25:00:00Z",
                    "2023-10-16T15:42:46.Z", "/Date(1)/x"] {
            #expect(FOTimestamp(bad) == nil, "\(bad)")
        }
    }

    @Test("event patterns with wildcards, case-insensitive")
    func patterns() {
        let workItem = EventPattern("Workflow_*_WorkItem")
        #expect(workItem.matches("Workflow_VendInvoiceApproval_000031_ApproveInvoice_WorkItem"))
        #expect(workItem.matches("workflow_x_workitem"))
        #expect(!workItem.matches("Workflow_VendInvoiceApproval_000031_ApproveInvoice"))
        #expect(!EventPattern("Workflow_*_WorkItem").matches("Workflow_WorkItem"))
        #expect(EventPattern("*").matches("Anything"))
        #expect(EventPattern("PurchaseOrderConfirmedBusinessEvent").matches("purchaseorderconfirmedbusinessevent"))
        #expect(!EventPattern("PurchaseOrder").matches("PurchaseOrderConfirmedBusinessEvent"))
        #expect(EventPattern("Vendor*Posted*").matches("VendorInvoicePostedBusinessEvent"))
        #expect(EventPattern("a*b*c").matches("a-b-b-c") && !EventPattern("a*b*c").matches("a-c-b"))
    }

    @Test("query strings and form bodies decode percent escapes and plus signs")
    func formDecoding() {
        let pairs = FormURLEncoding.parse("code=a%2Bb%3D&x=1+2&empty=&bad=%zz")
        #expect(pairs.map(\.name) == ["code", "x", "empty", "bad"])
        #expect(pairs.map(\.value) == ["a+b=", "1 2", "", "%zz"])
        #expect(FormURLEncoding.percentEncode("O'Brien & Co/1") == "O%27Brien%20%26%20Co%2F1")
    }

    @Test("connection name is the last path segment; empty path means default")
    func connectionName() {
        func name(_ path: String) -> String {
            InboundRequest(method: "POST", path: path, rawQuery: "", headers: [:], body: []).connectionName
        }
        #expect(name("") == "default")
        #expect(name("/") == "default")
        #expect(name("/contoso") == "contoso")
        #expect(name("/events/contoso/") == "contoso")
    }

    @Test("function events: base64 bodies, headers, path, size limit, malformed events")
    func functionEvents() throws {
        let body = Data(#"{"a":1}"#.utf8).base64EncodedString()
        let event = #"{"version":"2.0","rawPath":"/contoso","rawQueryString":"code=k","headers":{"Content-Type":"application/json"},"requestContext":{"http":{"method":"post"}},"body":"\#(body)","isBase64Encoded":true}"#
        let request = try RequestIO.parseFunctionEvent(Array(event.utf8), maxBodyBytes: 1 << 20).get()
        #expect(request.method == "POST")
        #expect(request.connectionName == "contoso")
        #expect(request.queryValue("code") == "k")
        #expect(request.mediaType == "application/json")
        #expect(request.body == Array(#"{"a":1}"#.utf8))

        let small = try RequestIO.parseFunctionEvent(Array(event.utf8), maxBodyBytes: 3).get()
        #expect(small.bodyTooLarge)

        for bad in ["", "{", #"{"rawPath":"/x"}"#, #"{"requestContext":{"http":{"method":"POST"}},"body":"***","isBase64Encoded":true}"#] {
            guard case .failure(let failure) = RequestIO.parseFunctionEvent(Array(bad.utf8), maxBodyBytes: 1 << 20) else {
                Issue.record("accepted \(bad)")
                continue
            }
            #expect(failure.status == 400)
        }
    }

    @Test("responses are encoded as CGI and as function results")
    func responseEncoding() throws {
        let response = InboundResponse.json(202, ["accepted": 1])
        let cgi = String(decoding: RequestIO(environment: Environment(["GATEWAY_INTERFACE": "CGI/1.1"])).encode(response), as: UTF8.self)
        #expect(cgi == "Status: 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"accepted\":1}")
        let function = RequestIO(environment: Environment([:])).encode(.error(405, "method not allowed", headers: [("Allow", "POST")]))
        let object = try JSONSerialization.jsonObject(with: Data(function)) as! [String: Any]
        #expect(object["statusCode"] as? Int == 405)
        #expect((object["headers"] as? [String: String])?["allow"] == "POST")
        #expect(object["body"] as? String == #"{"error":"method not allowed"}"#)
    }

    @Test("business events: envelope fields, legal entity fallback, control number forms")
    func businessEventParsing() throws {
        let event = try BusinessEvent.parse(try JSONParser.parse(Array(#"{"BusinessEventId":"PurchaseOrderConfirmedBusinessEvent","EventId":"E","ControlNumber":-9223372036854775808,"LegalEntity":"BRMF"}"#.utf8)))
        #expect(event.controlNumber == Int64.min)
        #expect(event.legalEntity == "brmf")
        #expect(!event.isEndpointTest)
        let workflow = try BusinessEvent.parse(try JSONParser.parse(Array(#"{"businesseventid":"Workflow_VendInvoiceApproval_000031_ApproveInvoice","eventid":"E","controlnumber":"5637145533"}"#.utf8)))
        #expect(workflow.businessEventID == "Workflow_VendInvoiceApproval_000031_ApproveInvoice")
        #expect(workflow.controlNumber == 5_637_145_533)
    }
}
