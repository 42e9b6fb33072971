/// The seeded company, embedded so the binary needs no files at run time: the documents of `Tests/Fixtures/odata`,
/// verbatim (a single entity or a `{"value":[…]}` collection per entity set). Inline navigation collections
/// (`PurchaseOrderLinesV2`, `VendorInvoiceLines`) are stored in their own entity sets when loaded.
enum Seed {
    static let documents: [(set: String, json: String)] = [
        (
            "PurchaseOrderHeadersV2",
            #"""
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
        ),
        (
            "VendorsV2",
            #"""
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
        ),
        (
            "VendInvoiceJourBiEntities",
            #"""
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
        ),
        (
            "VendorInvoiceHeaders",
            #"""
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
        ),
        (
            "VendorPaymentJournalLines",
            #"""
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
        ),
        (
            "Workers",
            #"""
            {
              "@odata.context": "https://usmf-sandbox.operations.dynamics.com/data/$metadata#Workers",
              "value": [
                {"PersonnelNumber": "000231", "Name": "Alicia Thornton", "PrimaryContactEmail": "alicia.thornton@contoso.example",
                 "IdentityEmail": "alicia.thornton@contoso.example"},
                {"PersonnelNumber": "000118", "Name": "Julia Funderburk", "PrimaryContactEmail": "julia.funderburk@contoso.example",
                 "IdentityEmail": "julia.funderburk@contoso.example"}
              ]
            }
            """#
        ),
        (
            "WorkflowWorkItems",
            #"""
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
        ),
        (
            "DimensionIntegrationFormats",
            #"""
            {
              "value": [
                {"DimensionFormatType": "DataEntityDefaultDimensionFormat", "FinancialDimensionFormat": "BusinessUnit-Department-CostCenter", "IsActive": "Yes"},
                {"DimensionFormatType": "DataEntityLedgerDimensionFormat", "FinancialDimensionFormat": "MainAccount-BusinessUnit-Department-CostCenter", "IsActive": "Yes"}
              ]
            }
            """#
        ),
    ]

    /// F&O's answer to a write on a posted document: `Tests/Fixtures/odata/error-posted-readonly.json`, byte for byte.
    static let postedReadOnlyError = #"""
        {"error":{"code":"","message":"An error has occurred.","innererror":{"message":"Write failed for table row of type 'VendInvoiceJourBiEntity'. Infolog: Error: The record cannot be updated because the invoice is posted.","type":"Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException","stacktrace":""}}}
        """#
}
