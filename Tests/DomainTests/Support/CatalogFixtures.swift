import Core
import Domain
import Foundation

/// The sample data of `Sources/MLConnectorSandbox/Fixtures` (business events and OData responses: one story in company
/// usmf), read from the source tree — the sandbox's resource folder is the only copy. `MLC_TEST_FIXTURES` overrides
/// the folder, as for the integration tests.
enum CatalogFixtures {
    static let directory: URL = {
        if let dir = ProcessInfo.processInfo.environment["MLC_TEST_FIXTURES"] { return URL(fileURLWithPath: dir) }
        // Tests/DomainTests/Support/CatalogFixtures.swift → the package root.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/MLConnectorSandbox/Fixtures")
    }()

    /// The text of the fixture at `relativePath`, verbatim.
    static func text(_ relativePath: String) -> String {
        let url = directory.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else { fatalError("missing fixture \(url.path)") }
        return String(decoding: data, as: UTF8.self)
    }

    static let purchaseOrderConfirmed = text("business-events/purchase-order-confirmed.json")
    static let vendorInvoicePosted = text("business-events/vendor-invoice-posted.json")
    static let vendorPaymentPosted = text("business-events/vendor-payment-posted.json")
    static let workflowWorkItem = text("business-events/workflow-work-item-vendor-invoice.json")
    static let workflowElementCompleted = text("business-events/workflow-element-completed.json")
    static let endpointTest = text("business-events/endpoint-test.json")
    static let purchaseOrderHeader = text("odata/PurchaseOrderHeadersV2.json")
    static let vendor = text("odata/VendorsV2.json")
    static let postedInvoices = text("odata/VendInvoiceJourBiEntities.json")
    static let paymentLines = text("odata/VendorPaymentJournalLines.json")
    static let pendingInvoice = text("odata/VendorInvoiceHeaders.json")
    static let workItem = text("odata/WorkflowWorkItems.json")
    static let attachments = text("odata/VendorInvoiceDocumentAttachments.json")
    static let dimensionFormats = text("odata/DimensionIntegrationFormats.json")
    /// The work item's user as `SystemUsers(UserID='alicia')` answers (the first of `odata/SystemUsers.json`).
    static var systemUser: JSONValue {
        let users = json(text("odata/SystemUsers.json"))
        return users["value"]?.arrayValue?.first ?? users
    }

    static func json(_ text: String) -> JSONValue {
        do {
            return try JSONParser.parse(text.utf8)
        } catch {
            fatalError("fixture is not JSON: \(error)")
        }
    }

    static func event(_ text: String) -> BusinessEvent {
        do {
            return try BusinessEvent.parse(json(text))
        } catch {
            fatalError("fixture is not an event: \(error)")
        }
    }

    /// What the job does with an entry's reads: each query in order against canned responses by entity set, the
    /// results stored in the context. Returns the context and the URLs read.
    static func performReads(of entry: CatalogEntry, for event: BusinessEvent,
                             responses: [String: JSONValue]) -> (context: TemplateContext, urls: [String]) {
        var context = TemplateContext(event: event)
        if entry.kind == .approval || entry.kind == .workflowUpdate {
            context[result: CatalogEntry.workItemRead] = json(workItem)
            context[result: CatalogEntry.approverRead] = systemUser
        }
        var urls: [String] = []
        for read in entry.reads {
            guard let query = read.query(in: context) else { continue }
            urls.append(query.relativeURL)
            if let body = responses[read.entitySet] { context[result: read.name] = read.result(from: body) }
        }
        return (context, urls)
    }

    /// Every fixture response by entity set.
    static var allResponses: [String: JSONValue] {
        [
            "PurchaseOrderHeadersV2": json(purchaseOrderHeader),
            "VendorsV2": json(vendor),
            "VendInvoiceJourBiEntities": json(postedInvoices),
            "VendorPaymentJournalLines": json(paymentLines),
            "VendorInvoiceHeaders": json(pendingInvoice),
            "WorkflowWorkItems": json(workItem),
            "VendorInvoiceDocumentAttachments": .object(["value": .array([json(attachments)])]),
        ]
    }
}
