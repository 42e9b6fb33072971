/// The sample business events of `Tests/Fixtures/business-events`, verbatim, so `send-event --fixture` needs no files.
enum BusinessEventFixtures {
    static let bodies: [(name: String, json: String)] = [
        (
            "endpoint-test",
            #"""
            {
              "BusinessEventId": "BusinessEventsTestEndpointContract",
              "BusinessEventLegalEntity": "",
              "ControlNumber": -9223372036854775808,
              "EventId": "00000000-0000-0000-0000-000000000000"
            }
            """#
        ),
        (
            "purchase-order-confirmed",
            #"""
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
        ),
        (
            "vendor-invoice-posted",
            #"""
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
        ),
        (
            "vendor-payment-posted",
            #"""
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
        ),
        (
            "workflow-element-completed",
            #"""
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
        ),
        (
            "workflow-work-item-vendor-invoice",
            #"""
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
        ),
    ]

    static var names: [String] { bodies.map(\.name) }

    /// The body of the fixture called `name` (with or without `.json`).
    static func body(named name: String) -> String? {
        let wanted = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        return bodies.first { $0.name == wanted }?.json
    }
}
