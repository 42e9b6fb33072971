import Core
import Domain
import Foundation
import Testing

/// A fixture event with some payload fields replaced (a nil value removes the field).
private func event(_ fixture: String, _ changes: [String: JSONValue?] = [:]) throws -> BusinessEvent {
    var payload = try #require(CatalogFixtures.json(fixture).objectValue)
    for (key, value) in changes { payload[key] = value }
    return try BusinessEvent.parse(.object(payload))
}

private func document(_ text: String) throws -> JSONValue {
    try JSONParser.parse(text.utf8)
}

@Suite struct StandardCatalogTests {
    let catalog = EventCatalog.standard

    @Test func entriesAreInOrder() {
        #expect(catalog.entries.map(\.id) == [
            "purchase-order-confirmed", "vendor-invoice-posted", "vendor-payment-posted", "vendor-invoice-approval",
            "workflow-work-item", "workflow-started", "workflow-external-task", "workflow-update",
        ])
        #expect(catalog.entries.map(\.kind) == [.notice, .notice, .notice, .approval, .approval, .ignore, .ignore, .workflowUpdate])
    }

    @Test func dimensionFormatsReadsEveryRow() throws {
        let context = TemplateContext(event: try event(CatalogFixtures.purchaseOrderConfirmed))
        #expect(catalog.dimensionFormats.entitySet == "DimensionIntegrationFormats")
        #expect(catalog.dimensionFormats.shape == .allRows)
        #expect(catalog.dimensionFormats.query(in: context)?.relativeURL == "DimensionIntegrationFormats?cross-company=true")
        let rows = catalog.dimensionFormats.result(from: CatalogFixtures.json(CatalogFixtures.dimensionFormats))
        #expect(rows?.arrayValue?.count == 2)
    }

    @Test func purchaseOrderConfirmed() throws {
        let event = try event(CatalogFixtures.purchaseOrderConfirmed)
        let entry = try #require(catalog.entry(for: event))
        #expect(entry.id == "purchase-order-confirmed")
        let (context, urls) = CatalogFixtures.performReads(of: entry, for: event, responses: CatalogFixtures.allResponses)
        #expect(urls == [
            "PurchaseOrderHeadersV2(dataAreaId='usmf',PurchaseOrderNumber='USMF-000142')"
                + "?$select=CurrencyCode,DefaultLedgerDimensionDisplayValue,RequestedDeliveryDate&$expand=PurchaseOrderLinesV2&cross-company=true",
            "VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-104')?$select=VendorOrganizationName&cross-company=true",
        ])
        #expect(entry.reads.map(\.shape) == [.entity, .entity])
        #expect(entry.reads.map(\.optional) == [false, true])
        #expect(entry.amount?.value(in: context) == .number("48250.75"))
        #expect(entry.amount?.value(in: context)?.decimalValue == Decimal(string: "48250.75"))
        #expect(entry.currency?.render(in: context) == "USD")
        #expect(entry.personEmail == nil)
        #expect(entry.menuItem == "PurchTableListPage")
    }

    @Test func vendorInvoicePostedFiltersOnTheInvoice() throws {
        let event = try event(CatalogFixtures.vendorInvoicePosted)
        let entry = try #require(catalog.entry(for: event))
        #expect(entry.id == "vendor-invoice-posted")
        let (context, urls) = CatalogFixtures.performReads(of: entry, for: event, responses: CatalogFixtures.allResponses)
        #expect(urls == [
            "VendInvoiceJourBiEntities?$filter=dataAreaId%20eq%20'usmf'%20and%20InvoiceId%20eq%20'INV-88213'"
                + "%20and%20InvoiceAccount%20eq%20'US-104'&$select=CurrencyCode,DueDate,InvoiceAmount,InvoiceDate,LedgerVoucher,PurchId"
                + "&cross-company=true",
            "VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-104')?$select=VendorOrganizationName&cross-company=true",
        ])
        #expect(entry.reads[0].shape == .firstRow)
        #expect(context[result: "invoice"]?["LedgerVoucher"] == "APINV-000311")
        #expect(entry.amount?.value(in: context) == .number("12500.00"))
        #expect(entry.currency?.render(in: context) == "USD")
    }

    @Test func vendorPaymentPostedReadsAllJournalLines() throws {
        let event = try event(CatalogFixtures.vendorPaymentPosted)
        let entry = try #require(catalog.entry(for: event))
        #expect(entry.id == "vendor-payment-posted")
        let (context, urls) = CatalogFixtures.performReads(of: entry, for: event, responses: CatalogFixtures.allResponses)
        #expect(urls == [
            "VendorPaymentJournalLines?$filter=dataAreaId%20eq%20'usmf'%20and%20JournalBatchNumber%20eq%20'USMF-PAY-00077'"
                + "&$select=CurrencyCode,DebitAmount,MarkedInvoice,PaymentMethodName,TransactionDate,Voucher&cross-company=true",
            "VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-104')?$select=VendorOrganizationName&cross-company=true",
        ])
        #expect(entry.reads[0].shape == .allRows)
        #expect(context[result: "lines"]?.arrayValue?.count == 1)
        #expect(entry.amount?.value(in: context) == .number("12500.00"))
    }

    @Test func vendorInvoiceWorkItemReadsDocumentWithItsLinesAndVendor() throws {
        let event = try event(CatalogFixtures.workflowWorkItem)
        let entry = try #require(catalog.entry(for: event))
        #expect(entry.id == "vendor-invoice-approval")
        #expect(entry.kind == .approval)
        // The vendor is keyed by a field of the document, so it can only be read after it.
        #expect(entry.reads[1].query(in: TemplateContext(event: event)) == nil)
        let (context, urls) = CatalogFixtures.performReads(of: entry, for: event, responses: CatalogFixtures.allResponses)
        #expect(urls == [
            "VendorInvoiceHeaders(dataAreaId='usmf',HeaderReference='USMF-VI-000418')?$select=Currency,DimensionDisplayValue,DueDate,"
                + "ImportedAmount,InvoiceAccount,InvoiceDate,InvoiceNumber,PurchaseOrderNumber,VendorName&$expand=VendorInvoiceLine&cross-company=true",
            "VendorsV2(dataAreaId='usmf',VendorAccountNumber='US-104')?$select=DefaultPaymentTermsName,VendorOrganizationName&cross-company=true",
            // The attachments' names and types only: never FileContents.
            "VendorInvoiceDocumentAttachments?$filter=dataAreaId%20eq%20'usmf'%20and%20HeaderReference%20eq%20'USMF-VI-000418'"
                + "&$select=FileName,FileType,Name&cross-company=true",
        ])
        // The work item and its user are read by the job itself; templates ask them only for what they show.
        #expect(entry.fields(usedFrom: CatalogEntry.workItemRead) == ["DueDateTime", "Subject"])
        #expect(entry.fields(usedFrom: CatalogEntry.approverRead).isEmpty)
        #expect(entry.personEmail?.render(in: context) == "alicia.thornton@contoso.example")
        #expect(entry.workItemID?.render(in: context) == "3D8F6A2B-91C4-4E7A-B0D5-6C1E2F3A4B5C")
        // The total of a pending invoice is the sum of its lines' Amount, exactly.
        #expect(entry.amount?.value(in: context) == .number("12500.00"))
        #expect(entry.currency?.render(in: context) == "USD")
    }

    @Test func workItemOfAnotherDocumentGetsTheGenericApproval() throws {
        let event = try event(CatalogFixtures.workflowWorkItem, ["WorkflowDocument": "PurchReqTable"])
        let entry = try #require(catalog.entry(for: event))
        #expect(entry.id == "workflow-work-item")
        #expect(entry.kind == .approval)
        let (context, urls) = CatalogFixtures.performReads(of: entry, for: event, responses: CatalogFixtures.allResponses)
        #expect(urls.isEmpty, "only the work item and its user, which the job reads")
        #expect(entry.fields(usedFrom: CatalogEntry.approverRead) == ["Email", "PersonName"])
        #expect(entry.personEmail?.render(in: context) == "alicia.thornton@contoso.example")
    }

    @Test func conditionsAndFieldNamesAreCaseInsensitive() throws {
        // Microsoft's examples spell the workflow fields in lower case.
        let lowerCase = try document("""
            {"BusinessEventId": "workflow_vendinvoiceapproval_000031_approveinvoice_workitem", "EventId": "E1",
             "ControlNumber": 1, "BusinessEventLegalEntity": "USMF", "contextrecordsubject": "USMF-VI-000418",
             "workflowdocument": "vendorinvoiceheaders", "workflowuseremail": "alicia.thornton@contoso.example",
             "workflowworkiteminstanceid": "3d8f6a2b-91c4-4e7a-b0d5-6c1e2f3a4b5c"}
            """)
        let event = try BusinessEvent.parse(lowerCase)
        let entry = try #require(catalog.entry(for: event))
        #expect(entry.id == "vendor-invoice-approval")
        let context = TemplateContext(event: event)
        #expect(entry.personEmail?.render(in: context) == "alicia.thornton@contoso.example")
        #expect(entry.reads[0].query(in: context)?.relativeURL.hasPrefix("VendorInvoiceHeaders(dataAreaId='usmf',HeaderReference='USMF-VI-000418')?") == true)
    }

    @Test func workflowElementCompletedIsAnUpdateWithoutReads() throws {
        let event = try event(CatalogFixtures.workflowElementCompleted)
        let entry = try #require(catalog.entry(for: event))
        #expect(entry.id == "workflow-update")
        #expect(entry.kind == .workflowUpdate)
        #expect(entry.reads.isEmpty)
        let context = TemplateContext(event: event)
        #expect(entry.workItemID?.render(in: context) == "3D8F6A2B-91C4-4E7A-B0D5-6C1E2F3A4B5C")
    }

    @Test func otherEventsHaveNoEntry() throws {
        #expect(catalog.entry(for: try event(CatalogFixtures.endpointTest)) == nil)
        #expect(catalog.entry(for: try event(CatalogFixtures.purchaseOrderConfirmed, ["BusinessEventId": "SalesInvoicePostedBusinessEvent"])) == nil)
    }

    @Test func quoteInKeyValueIsDoubledThenEncoded() throws {
        let event = try event(CatalogFixtures.purchaseOrderConfirmed, ["PurchaseOrderNumber": "PO'1 #2"])
        let entry = try #require(catalog.entry(for: event))
        #expect(entry.reads[0].query(in: TemplateContext(event: event))?.relativeURL
            == "PurchaseOrderHeadersV2(dataAreaId='usmf',PurchaseOrderNumber='PO%27%271%20%232')"
            + "?$select=CurrencyCode,DefaultLedgerDimensionDisplayValue,RequestedDeliveryDate&$expand=PurchaseOrderLinesV2&cross-company=true")
    }

    @Test func missingOrMalformedKeyValueGivesNoQuery() throws {
        let noNumber = try event(CatalogFixtures.purchaseOrderConfirmed, ["PurchaseOrderNumber": nil])
        #expect(catalog.entry(for: noNumber)?.reads[0].query(in: TemplateContext(event: noNumber)) == nil)
        let blank = try event(CatalogFixtures.purchaseOrderConfirmed, ["PurchaseOrderNumber": "  "])
        #expect(catalog.entry(for: blank)?.reads[0].query(in: TemplateContext(event: blank)) == nil)
        let noSubject = try event(CatalogFixtures.workflowWorkItem, ["ContextRecordSubject": nil])
        #expect(catalog.entry(for: noSubject)?.reads[0].query(in: TemplateContext(event: noSubject)) == nil)
    }

    @Test func readResults() {
        let entity = CatalogFixtures.json(CatalogFixtures.vendor)
        let purchaseOrder = catalog.entries[0]
        #expect(purchaseOrder.reads[1].result(from: entity) == entity)
        let invoiceRead = catalog.entries[1].reads[0]
        #expect(invoiceRead.result(from: CatalogFixtures.json(CatalogFixtures.postedInvoices))?["InvoiceId"] == "INV-88213")
        #expect(invoiceRead.result(from: ["value": []]) == nil)
        #expect(catalog.entries[2].reads[0].result(from: ["value": []]) == .array([]))
    }
}

@Suite struct CatalogOverrideTests {
    @Test func overrideReplacesAnEntryInPlaceAndNewEntriesComeFirst() throws {
        let overrides = try document(#"""
            {"entries": [
              {"id": "purchase-order-confirmed", "event": "PurchaseOrderConfirmedBusinessEvent", "kind": "notice",
               "title": "PO {event.PurchaseOrderNumber}",
               "reads": [{"name": "order", "entitySet": "PurchaseOrderHeadersV3",
                          "key": {"dataAreaId": "{legalEntity}", "PurchaseOrderNumber": "{event.PurchaseOrderNumber}"}}]},
              {"id": "requisition-approval", "event": "Workflow_*_WorkItem", "when": {"WorkflowDocument": "PurchReqTable"},
               "kind": "approval", "title": "Requisition {event.ContextRecordSubject}",
               "workItemID": "{event.WorkflowWorkItemInstanceId}"}
            ]}
            """#)
        let catalog = try EventCatalog.standard.overridden(by: overrides)
        #expect(catalog.entries.map(\.id) == [
            "requisition-approval", "purchase-order-confirmed", "vendor-invoice-posted", "vendor-payment-posted",
            "vendor-invoice-approval", "workflow-work-item", "workflow-started", "workflow-external-task", "workflow-update",
        ])
        let order = try event(CatalogFixtures.purchaseOrderConfirmed)
        let entry = try #require(catalog.entry(for: order))
        #expect(entry.title.render(in: TemplateContext(event: order)) == "PO USMF-000142")
        #expect(entry.reads.map { $0.query(in: TemplateContext(event: order))?.relativeURL } == [
            "PurchaseOrderHeadersV3(dataAreaId='usmf',PurchaseOrderNumber='USMF-000142')?cross-company=true",
        ])
        let requisition = try event(CatalogFixtures.workflowWorkItem, ["WorkflowDocument": "PurchReqTable"])
        #expect(catalog.entry(for: requisition)?.id == "requisition-approval")
        // The vendor invoice work item still reaches its standard entry.
        #expect(catalog.entry(for: try event(CatalogFixtures.workflowWorkItem))?.id == "vendor-invoice-approval")
        #expect(catalog.dimensionFormats.entitySet == "DimensionIntegrationFormats")
    }

    @Test func overrideCanReplaceTheDimensionFormatRead() throws {
        let overrides = try document(#"{"dimensionFormats": {"entitySet": "DimensionIntegrationFormatsV2", "rows": "all", "crossCompany": false}}"#)
        let catalog = try EventCatalog.standard.overridden(by: overrides)
        let context = TemplateContext(event: try event(CatalogFixtures.purchaseOrderConfirmed))
        #expect(catalog.dimensionFormats.query(in: context)?.relativeURL == "DimensionIntegrationFormatsV2")
        #expect(catalog.entries.count == EventCatalog.standard.entries.count)
    }

    @Test func noOverridesChangeNothing() throws {
        #expect(try EventCatalog.standard.overridden(by: nil).entries.map(\.id) == EventCatalog.standard.entries.map(\.id))
        #expect(try EventCatalog.standard.overridden(by: .null).entries.map(\.id) == EventCatalog.standard.entries.map(\.id))
    }

    @Test func numberGuidAndEnumerationValues() throws {
        let overrides = try document(#"""
            {"entries": [
              {"id": "journal", "event": "LedgerJournalPosted", "kind": "notice", "title": "Journal",
               "reads": [
                 {"name": "journalLine", "entitySet": "LedgerJournalLines",
                  "key": {"dataAreaId": "{legalEntity}", "JournalBatchNumber": "{event.Journal}", "LineNumber": {"number": "{event.Line}"}}},
                 {"name": "posted", "entitySet": "LedgerJournalHeaders", "rows": "all",
                  "filter": {"IsPosted": {"enum": "NoYes", "symbol": "Yes"}, "CorrelationId": {"guid": "{event.Correlation}"}}}
               ]}
            ]}
            """#)
        let catalog = try EventCatalog.standard.overridden(by: overrides)
        let journal = try BusinessEvent.parse(try document("""
            {"BusinessEventId": "LedgerJournalPosted", "EventId": "E", "ControlNumber": 7, "LegalEntity": "USMF",
             "Journal": "GJ-1", "Line": 2.5, "Correlation": "3d8f6a2b-91c4-4e7a-b0d5-6c1e2f3a4b5c"}
            """))
        let entry = try #require(catalog.entry(for: journal))
        #expect(entry.reads.map { $0.query(in: TemplateContext(event: journal))?.relativeURL } == [
            "LedgerJournalLines(dataAreaId='usmf',JournalBatchNumber='GJ-1',LineNumber=2.5)?cross-company=true",
            "LedgerJournalHeaders?$filter=IsPosted%20eq%20Microsoft.Dynamics.DataEntities.NoYes'Yes'"
                + "%20and%20CorrelationId%20eq%203d8f6a2b-91c4-4e7a-b0d5-6c1e2f3a4b5c&cross-company=true",
        ])
    }

    @Test(arguments: [
        (#"{"entries": [{"id": "x", "event": "E", "kind": "notice", "title": "T", "optinal": true}]}"#,
         #"entries[0]: unknown member "optinal""#),
        (#"{"entries": [{"id": "x", "event": "E", "kind": "notice"}]}"#, #"entries[0]: missing "title""#),
        (#"{"entries": [{"id": "x", "event": "E", "kind": "memo", "title": "T"}]}"#,
         #"entries[0]: "kind" is "notice", "approval", "workflowUpdate" or "ignore", not "memo""#),
        (#"{"entries": [{"id": "x", "event": "E", "kind": "approval", "title": "T"}]}"#,
         #"entries[0]: "workItemID" is required for "approval" entries"#),
        (#"{"entries": [{"id": "x", "event": "E", "kind": "notice", "title": "{vendr.Name}", "reads": [{"name": "vendor", "entitySet": "VendorsV2"}]}]}"#,
         #"entries[0]: unknown name "vendr" in a template (known: event, legalentity, vendor)"#),
        (#"{"entries": [{"id": "x", "event": "E", "kind": "notice", "title": "{event.Amount|round}"}]}"#,
         #"entries[0].title: unknown filter "round" (sum, money, date, int, dimensions) in template "{event.Amount|round}""#),
        (#"{"entries": [{"id": "x", "event": "E", "kind": "notice", "title": "{event.Amount"}]}"#,
         #"entries[0].title: unclosed "{" in template "{event.Amount""#),
        (#"{"entries": [{"id": "x", "event": "E", "kind": "notice", "title": "T"}, {"id": "x", "event": "F", "kind": "notice", "title": "T"}]}"#,
         #"entries[1]: entry id "x" is used twice"#),
        (#"{"entries": [{"id": "x", "event": "E", "kind": "notice", "title": "T", "reads": [{"name": "a", "entitySet": "A", "key": {"Id": "{event.Id}"}, "rows": "all"}]}]}"#,
         #"entries[0].reads[0]: "rows" is for filtered reads; a keyed read returns one entity"#),
        (#"{"entries": [{"id": "x", "event": "E", "kind": "notice", "title": "T", "reads": [{"name": "a", "entitySet": "A", "key": {"Id) or (1": "{event.Id}"}}]}]}"#,
         #"entries[0].reads[0].key: "Id) or (1" is not a field name"#),
        (#"{"entries": [{"id": "x", "event": "E", "kind": "notice", "title": "T", "reads": [{"name": "b", "entitySet": "B", "key": {"Id": "{a.Id}"}}, {"name": "a", "entitySet": "A"}]}]}"#,
         #"entries[0].reads[0]: unknown name "a" in a template (known: event, legalentity)"#),
        (#"{"entries": [{"id": "x", "event": "E", "kind": "notice", "title": "T", "reads": [{"name": "event", "entitySet": "A"}]}]}"#,
         #"entries[0].reads[0]: read name "event" is reserved or used twice"#),
        (#"{"entries": [{"id": "x", "event": "E", "kind": "notice", "title": "T", "card": {"lines": {"rows": "{event.Lines}", "item": "{line.X}", "limit": 0}}}]}"#,
         #"entries[0].card.lines.limit: expected a positive whole number"#),
        (#"{"entrys": []}"#, #"unknown member "entrys""#),
    ])
    func invalidOverridesAreRefusedWithTheirPlace(overrides: String, message: String) throws {
        let json = try document(overrides)
        let error = #expect(throws: CatalogError.self) { try EventCatalog.standard.overridden(by: json) }
        #expect(error?.message == message)
    }

    @Test func aCompleteCatalogNeedsTheDimensionFormatRead() throws {
        let json = try document(#"{"entries": []}"#)
        let error = #expect(throws: CatalogError.self) { try EventCatalog(json: json) }
        #expect(error?.message == #"missing "dimensionFormats""#)
    }
}

@Suite struct TemplateTests {
    let context: TemplateContext = {
        var context = TemplateContext(event: try! event(CatalogFixtures.vendorPaymentPosted))
        context[result: "Lines"] = CatalogFixtures.json(CatalogFixtures.paymentLines)["value"]
        return context
    }()

    @Test func placeholdersAndFilters() throws {
        #expect(try Template("{event.JournalBatchNumber} in {legalEntity}").render(in: context) == "USMF-PAY-00077 in usmf")
        #expect(try Template("{EVENT.journalbatchnumber}").render(in: context) == "USMF-PAY-00077")
        #expect(try Template("{event.TransactionCurrencyAmount|money:event.TransactionCurrencyCode}").render(in: context) == "12,500.00 USD")
        #expect(try Template("{event.TransactionCurrencyAmount|money}").render(in: context) == "12,500.00")
        #expect(try Template("{event.PaymentDate|date}").render(in: context) == "29 Nov 2025")
        #expect(try Template("{lines.0.TransactionDate|date}").render(in: context) == "29 Nov 2025")
        #expect(try Template("{lines.0.LineNumber|int} {lines.0.PaymentMethodName}").render(in: context) == "1 CHECK")
        #expect(try Template("{{literal}} {event.Voucher}").render(in: context) == "{literal} APPAY-000090")
    }

    @Test func missingValuesFallToTheNextAlternative() throws {
        let vendor = try Template(alternatives: ["{vendor.VendorOrganizationName} ({event.VendorAccount})", "{event.VendorAccount}"])
        #expect(vendor.render(in: context) == "US-104")
        #expect(try Template("{vendor.VendorOrganizationName} ({event.VendorAccount})").render(in: context) == nil)
        #expect(try Template("{lines.5.PaymentMethodName}").render(in: context) == nil)
        #expect(try Template("{event.ContextRecordSubject}").render(in: context) == nil)  // blank
        #expect(try Template("{event.Voucher|date}").render(in: context) == nil)  // not a date
        #expect(try Template("{event.Voucher|money}").render(in: context) == nil)  // not a number
    }

    @Test func valueKeepsRawValues() throws {
        #expect(try Template("{event.TransactionCurrencyAmount}").value(in: context) == .number("12500.00"))
        #expect(try Template("{lines}").value(in: context)?.arrayValue?.count == 1)
        #expect(try Template("{event.Voucher}/{legalEntity}").value(in: context) == "APPAY-000090/usmf")
        #expect(try Template("{event.Nothing}").value(in: context) == nil)
    }
}

@Suite struct WorkflowActionsTests {
    private func actions(outcomes: String, complete: String = #""Outcome": "{outcome}", "Comment": "{comment}""#) throws -> WorkflowActions {
        let json = try document("""
            {"workflowActions": {
               "validate": {"path": "WorkflowWorkItems/Microsoft.Dynamics.DataEntities.validate", "body": {"WorkflowWorkitemInstanceID": "{workItem}"}},
               "complete": {"path": "WorkflowWorkItems/Microsoft.Dynamics.DataEntities.complete",
                            "body": {"WorkflowWorkitemInstanceID": "{workItem}", \(complete)}},
               "outcomes": \(outcomes)}}
            """)
        return try EventCatalog.standard.overridden(by: json).workflowActions
    }

    @Test func theStandardCatalogOffersEveryOutcome() throws {
        let standard = EventCatalog.standard.workflowActions
        #expect(standard.offered == [.approve, .reject, .requestChange, .delegate])
        #expect(standard.outcome(for: .requestChange) == "RequestChange")
        let body = try #require(standard.completeBody(workItem: "w-1", decision: .delegate, comment: "yours", delegate: "julia"))
        #expect(body == ["WorkflowWorkitemInstanceID": "w-1", "Outcome": "Delegate", "Comment": "yours", "DelegateUserId": "julia"])
        // Only the delegation carries the delegate parameter.
        #expect(standard.completeBody(workItem: "w-1", decision: .reject, comment: "no", delegate: "")
                == ["WorkflowWorkitemInstanceID": "w-1", "Outcome": "Reject", "Comment": "no"])
    }

    @Test func aCatalogWithApproveAndRejectOnlyOffersTwoButtons() throws {
        let two = try actions(outcomes: #"{"approve": "Approve", "reject": "Reject"}"#)
        #expect(two.offered == [.approve, .reject])
        #expect(two.outcome(for: .delegate) == nil)
        #expect(two.completeBody(workItem: "w", decision: .requestChange, comment: "x") == nil)
    }

    @Test func outcomesMaySpellTheirWordsAndParametersTheirOwnWay() throws {
        let custom = try actions(outcomes: #"{"approve": "Approve", "reject": "Reject", "requestChange": "ReturnToSubmitter", "delegate": {"outcome": "Delegate", "body": {"ToUser": "{delegate}", "Note": "by ml-connector: {comment}"}}}"#)
        #expect(custom.offered == [.approve, .reject, .requestChange, .delegate])
        #expect(custom.completeBody(workItem: "w", decision: .requestChange, comment: "split line 2")?["Outcome"] == "ReturnToSubmitter")
        let delegation = try #require(custom.completeBody(workItem: "w", decision: .delegate, comment: "c", delegate: "julia"))
        #expect(delegation["ToUser"] == "julia" && delegation["Note"] == "by ml-connector: c" && delegation["Outcome"] == "Delegate")
    }

    @Test(arguments: [
        (#"{"approve": "Approve"}"#, #"workflowActions.outcomes: missing "reject""#),
        (#"{"approve": "Approve", "reject": "Reject", "delegate": "Delegate"}"#,
         #"workflowActions.outcomes.delegate: a delegation must pass {delegate} (the delegate's F&O UserID) in a parameter, e.g. {"outcome": "Delegate", "body": {"DelegateUserId": "{delegate}"}}"#),
        (#"{"approve": "Approve", "reject": "Reject", "escalate": "Escalate"}"#, #"workflowActions.outcomes: unknown member "escalate""#),
        (#"{"approve": "Approve", "reject": "Reject", "requestChange": {"word": "RequestChange"}}"#,
         #"workflowActions.outcomes.requestChange: unknown member "word""#),
    ])
    func invalidOutcomesAreRefusedWithTheirPlace(outcomes: String, message: String) throws {
        let error = #expect(throws: CatalogError.self) { try actions(outcomes: outcomes) }
        #expect(error?.message == message)
    }
}
