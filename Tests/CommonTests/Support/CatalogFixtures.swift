import Common

/// Verbatim copies of /work/shared/fixtures (business events and OData responses: one story in company usmf).
enum CatalogFixtures {
    // business-events/purchase-order-confirmed.json
    static let purchaseOrderConfirmed = #"""
        {
          "BusinessEventId": "PurchaseOrderConfirmedBusinessEvent",
          "BusinessEventLegalEntity": "usmf",
          "ContextRecordSubject": "",
          "ControlNumber": 5637145326,
          "EventId": "4C1F2A7E-1B2D-4E8F-9A51-0D2C6B7E3F10",
          "EventTime": "/Date(1764403200000)/",
          "EventTimeIso8601": "2025-11-29T08:00:00.0000000Z",
          "InitiatingUserAADObjectId": "{5B7C2E11-0A4D-4C53-8F0E-2A1B3C4D5E6F}",
          "LegalEntity": "usmf",
          "MajorVersion": 0,
          "MinorVersion": 0,
          "ParentContextRecordSubjects": [],
          "PurchaseJournal": "USMF-000142-1",
          "PurchaseOrderDate": "/Date(1764374400000)/",
          "PurchaseOrderNumber": "USMF-000142",
          "PurchaseType": "Purch",
          "TransactionCurrencyAmount": 48250.75,
          "TransactionCurrencyCode": "USD",
          "VendorAccount": "US-104"
        }
        """#

    // business-events/vendor-invoice-posted.json
    static let vendorInvoicePosted = #"""
        {
          "BusinessEventId": "VendorInvoicePostedBusinessEvent",
          "BusinessEventLegalEntity": "usmf",
          "ContextRecordSubject": "",
          "ControlNumber": 5637145391,
          "EventId": "9E0B7D21-6A3C-4F45-8B12-77C0D4E5A6B1",
          "EventTime": "/Date(1764410400000)/",
          "EventTimeIso8601": "2025-11-29T10:00:00.0000000Z",
          "InitiatingUserAADObjectId": "{5B7C2E11-0A4D-4C53-8F0E-2A1B3C4D5E6F}",
          "InvoiceAccount": "US-104",
          "InvoiceAmountInAccountingCurrency": 12500.00,
          "InvoiceDate": "/Date(1764374400000)/",
          "InvoiceDueDate": "/Date(1766966400000)/",
          "InvoiceId": "INV-88213",
          "LegalEntity": "usmf",
          "MajorVersion": 0,
          "MinorVersion": 0,
          "ParentContextRecordSubjects": [],
          "PurchaseOrderNumber": "USMF-000142",
          "TransactionCurrencyAmount": 12500.00,
          "TransactionCurrencyCode": "USD",
          "Voucher": "APINV-000311"
        }
        """#

    // business-events/vendor-payment-posted.json
    static let vendorPaymentPosted = #"""
        {
          "BusinessEventId": "VendorPaymentPostedBusinessEvent",
          "BusinessEventLegalEntity": "usmf",
          "ContextRecordSubject": "",
          "ControlNumber": 5637145402,
          "EventId": "1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D",
          "EventTime": "/Date(1764417600000)/",
          "EventTimeIso8601": "2025-11-29T12:00:00.0000000Z",
          "InitiatingUserAADObjectId": "{5B7C2E11-0A4D-4C53-8F0E-2A1B3C4D5E6F}",
          "JournalBatchNumber": "USMF-PAY-00077",
          "LegalEntity": "usmf",
          "MajorVersion": 0,
          "MinorVersion": 0,
          "ParentContextRecordSubjects": [],
          "PaymentDate": "/Date(1764374400000)/",
          "TransactionCurrencyAmount": 12500.00,
          "TransactionCurrencyCode": "USD",
          "VendorAccount": "US-104",
          "Voucher": "APPAY-000090"
        }
        """#

    // business-events/workflow-work-item-vendor-invoice.json
    static let workflowWorkItem = #"""
        {
          "BusinessEventId": "Workflow_VendInvoiceApproval_000031_ApproveInvoice_WorkItem",
          "BusinessEventLegalEntity": "usmf",
          "ContextRecordSubject": "USMF-VI-000418",
          "ControlNumber": 5637145477,
          "EventId": "7F3E2D1C-0B9A-4876-A5B4-C3D2E1F0A9B8",
          "EventTime": "/Date(1764421200000)/",
          "EventTimeIso8601": "2025-11-29T13:00:00.0000000Z",
          "InitiatingUserAADObjectId": "{5B7C2E11-0A4D-4C53-8F0E-2A1B3C4D5E6F}",
          "MajorVersion": 0,
          "MinorVersion": 0,
          "ParentContextRecordSubjects": [],
          "WorkflowDocument": "VendorInvoiceHeaders",
          "WorkflowStepInstruction": "Review the invoice against the purchase order and approve or reject.",
          "WorkflowUserEmail": "alicia.thornton@contoso.example",
          "WorkflowWorkItemInstanceId": "3D8F6A2B-91C4-4E7A-B0D5-6C1E2F3A4B5C",
          "WorkflowWorkItemSubject": "Vendor invoice USMF-VI-000418 from Fabrikam Supplies for 12,500.00 USD requires approval",
          "WorkItemOwner": "alicia"
        }
        """#

    // business-events/workflow-element-completed.json
    static let workflowElementCompleted = #"""
        {
          "BusinessEventId": "Workflow_VendInvoiceApproval_000031_ApproveInvoice",
          "BusinessEventLegalEntity": "usmf",
          "ContextRecordSubject": "USMF-VI-000418",
          "ControlNumber": 5637145533,
          "EventId": "C0FFEE11-2222-4333-8444-555566667777",
          "EventTime": "/Date(1764424800000)/",
          "EventTimeIso8601": "2025-11-29T14:00:00.0000000Z",
          "InitiatingUserAADObjectId": "{00000000-0000-0000-0000-000000000000}",
          "MajorVersion": 0,
          "MinorVersion": 0,
          "ParentContextRecordSubjects": [],
          "WorkflowDocument": "VendorInvoiceHeaders",
          "WorkflowElementOutcome": "Approved",
          "WorkflowUserEmail": "alicia.thornton@contoso.example",
          "WorkflowWorkItemInstanceId": "3D8F6A2B-91C4-4E7A-B0D5-6C1E2F3A4B5C"
        }
        """#

    // business-events/endpoint-test.json
    static let endpointTest = #"""
        {
          "BusinessEventId": "BusinessEventsTestEndpointContract",
          "BusinessEventLegalEntity": "",
          "ControlNumber": -9223372036854775808,
          "EventId": "00000000-0000-0000-0000-000000000000"
        }
        """#

    // odata/PurchaseOrderHeadersV2.json
    static let purchaseOrderHeader = #"""
        {
          "@odata.context": "https://usmf-sandbox.operations.dynamics.com/data/$metadata#PurchaseOrderHeadersV2/$entity",
          "@odata.etag": "W/\"JzEsNTYzNzE0NTMyNic=\"",
          "dataAreaId": "usmf",
          "PurchaseOrderNumber": "USMF-000142",
          "OrderVendorAccountNumber": "US-104",
          "InvoiceVendorAccountNumber": "US-104",
          "PurchaseOrderName": "Fabrikam Supplies",
          "PurchaseOrderStatus": "Backorder",
          "DocumentApprovalStatus": "Confirmed",
          "CurrencyCode": "USD",
          "RequestedDeliveryDate": "2025-12-10T12:00:00Z",
          "AccountingDate": "2025-11-29T12:00:00Z",
          "OrdererPersonnelNumber": "000231",
          "RequesterPersonnelNumber": "000118",
          "DefaultLedgerDimensionDisplayValue": "001-022-Audio",
          "PurchaseOrderLinesV2": [
            {"dataAreaId": "usmf", "PurchaseOrderNumber": "USMF-000142", "LineNumber": 1, "ItemNumber": "M0001",
             "LineDescription": "Speaker cabinet, walnut", "OrderedPurchaseQuantity": 150, "PurchaseUnitSymbol": "ea",
             "PurchasePrice": 250.005, "LineAmount": 37500.75, "DefaultLedgerDimensionDisplayValue": "001-022-Audio"},
            {"dataAreaId": "usmf", "PurchaseOrderNumber": "USMF-000142", "LineNumber": 2, "ItemNumber": "M0004",
             "LineDescription": "Amplifier board", "OrderedPurchaseQuantity": 50, "PurchaseUnitSymbol": "ea",
             "PurchasePrice": 215, "LineAmount": 10750, "DefaultLedgerDimensionDisplayValue": "001-024-Audio"}
          ]
        }
        """#

    // odata/VendorsV2.json
    static let vendor = #"""
        {
          "@odata.etag": "W/\"JzEsNTYzNzE0NDU4MSc=\"",
          "dataAreaId": "usmf",
          "VendorAccountNumber": "US-104",
          "VendorOrganizationName": "Fabrikam Supplies",
          "VendorGroupId": "10",
          "PrimaryEmailAddress": "ap@fabrikam.example",
          "CurrencyCode": "USD",
          "PaymentTermsName": "Net30",
          "OnHoldStatus": "No"
        }
        """#

    // odata/VendInvoiceJourBiEntities.json
    static let postedInvoices = #"""
        {
          "@odata.context": "https://usmf-sandbox.operations.dynamics.com/data/$metadata#VendInvoiceJourBiEntities",
          "value": [
            {"dataAreaId": "usmf", "SourceKey": 5637145391, "InvoiceId": "INV-88213", "InvoiceAccount": "US-104",
             "OrderAccount": "US-104", "PurchId": "USMF-000142", "InvoiceAmount": 12500.00, "SumTax": 0,
             "CurrencyCode": "USD", "InvoiceDate": "2025-11-29T12:00:00Z", "DueDate": "2025-12-29T12:00:00Z",
             "LedgerVoucher": "APINV-000311"}
          ]
        }
        """#

    // odata/VendorPaymentJournalLines.json
    static let paymentLines = #"""
        {
          "@odata.context": "https://usmf-sandbox.operations.dynamics.com/data/$metadata#VendorPaymentJournalLines",
          "value": [
            {"dataAreaId": "usmf", "JournalBatchNumber": "USMF-PAY-00077", "LineNumber": 1, "AccountDisplayValue": "US-104",
             "TransactionDate": "2025-11-29T12:00:00Z", "DebitAmount": 12500.00, "CreditAmount": 0, "CurrencyCode": "USD",
             "PaymentMethodName": "CHECK", "OffsetAccountDisplayValue": "USMF OPER", "Voucher": "APPAY-000090",
             "DefaultDimensionsForAccountDisplayValue": "001-022-Audio", "MarkedInvoice": "INV-88213"}
          ]
        }
        """#

    // odata/VendorInvoiceHeaders.json
    static let pendingInvoice = #"""
        {
          "@odata.etag": "W/\"JzEsNTYzNzE0NTQ3Nyc=\"",
          "dataAreaId": "usmf",
          "HeaderReference": "USMF-VI-000418",
          "InvoiceNumber": "INV-88213",
          "InvoiceAccount": "US-104",
          "VendorName": "Fabrikam Supplies",
          "PurchaseOrderNumber": "USMF-000142",
          "InvoiceDate": "2025-11-29T12:00:00Z",
          "DueDate": "2025-12-29T12:00:00Z",
          "Currency": "USD",
          "InvoiceAmount": 12500.00,
          "SalesTaxAmount": 0,
          "VendorInvoiceReviewStatus": "InReview",
          "IsApproved": "No",
          "ApproverPersonnelNumber": "000231",
          "IsOnHold": "No",
          "DimensionDisplayValue": "001-022-Audio",
          "VendorInvoiceLines": [
            {"dataAreaId": "usmf", "HeaderReference": "USMF-VI-000418", "InvoiceLineNumber": 1, "ItemNumber": "M0001",
             "Description": "Speaker cabinet, walnut", "ReceiveNow": 50, "UnitPrice": 250, "LineAmount": 12500.00,
             "DimensionDisplayValue": "001-022-Audio"}
          ]
        }
        """#

    // odata/WorkflowWorkItems.json
    static let workItem = #"""
        {
          "@odata.etag": "W/\"JzEsNTYzNzE0NTQ3OCc=\"",
          "Id": "3d8f6a2b-91c4-4e7a-b0d5-6c1e2f3a4b5c",
          "Status": "Pending",
          "UserId": "alicia",
          "Subject": "Vendor invoice USMF-VI-000418 from Fabrikam Supplies for 12,500.00 USD requires approval",
          "CompanyId": "usmf",
          "DueDateTime": "2025-12-01T13:00:00Z",
          "Type": "WorkItem"
        }
        """#

    // odata/DimensionIntegrationFormats.json
    static let dimensionFormats = #"""
        {
          "value": [
            {"DimensionFormatType": "DataEntityDefaultDimensionFormat", "FinancialDimensionFormat": "BusinessUnit-Department-CostCenter", "IsActive": "Yes"},
            {"DimensionFormatType": "DataEntityLedgerDimensionFormat", "FinancialDimensionFormat": "MainAccount-BusinessUnit-Department-CostCenter", "IsActive": "Yes"}
          ]
        }
        """#

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
        ]
    }
}
