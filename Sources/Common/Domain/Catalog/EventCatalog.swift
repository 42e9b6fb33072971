public import Core

// The event catalog: what ml-connector reads over OData for each kind of business event and what its card shows
// (DESIGN.md §7: what varies between F&O environments is data, not code). The standard catalog below is a JSON
// document, and a connection's overrides are a document in exactly the same format.
//
// Catalog document format
// -----------------------
// {
//   "dimensionFormats": <read>,              where the environment's dimension formats are read (optional in overrides)
//   "workflowActions": {"validate": {"path": …, "body": {…}}, "complete": {…},
//                       "outcomes": {"approve": …, "reject": …, "requestChange"?: …, "delegate"?: {"outcome": …, "body": {…}}}}
//                                            how decisions are written back (optional in overrides); see WorkflowActions
//   "reminders": {"points": ["24h", "2h", "due"], "quietHours": "20:00-08:00"}
//                                            reminders of pending approvals before F&O's due time, in the card's thread,
//                                            never in the approver's quiet hours (Slack time zone); optional in
//                                            overrides; the standard catalog has no points (off); see ReminderSchedule
//   "entries": [<entry>, …]                  tried in order; the first that matches an event is used
// }
//
// <entry>:
//   "id"           string, unique; an override entry with the same id replaces the standard one in its place,
//                  override entries with new ids are tried before all standard ones
//   "event"        BusinessEventId pattern, `*` matches any run of characters, case-insensitive
//   "when"         optional {"PayloadField": "value", …}: all must be equal (field names and values case-insensitive)
//   "kind"         "notice" | "approval" (the work item and its assignee are read from F&O first, as `workitem` and
//                  `approver`: `WorkflowWorkItems(Id=…)`, `SystemUsers(UserID=…)`) | "workflowUpdate" (re-reads the
//                  work item; its card closes only when F&O says it is no longer pending; needs no route)
//                  | "ignore" (stored and acknowledged, nothing more)
//   "title"        template: the card's header
//   "reads"        optional [<read>, …], made in order; a read's result is available to later templates by its name
//   "amount"       optional template giving the raw amount (a bare placeholder), compared with `--min-amount`
//   "currency"     optional template giving the amount's currency code
//   "personEmail"  optional template: the person an `--approver` route sends a notice to; for an approval only a hint
//                  (the assignee is F&O's `WorkflowWorkItems.UserId`; a different hint is audited)
//   "workItemID"   template, required for "approval" and "workflowUpdate": the workflow work item
//   "menuItem"     optional F&O menu item for the card's link ({dynamics-url}/?cmp=<legal entity>&mi=<menu item>)
//   "card"         optional {
//                    "text":    template, the plain-text fallback (the title when absent),
//                    "summary": template, a mrkdwn paragraph under the header,
//                    "fields":  [{"label": "Vendor", "value": template}, …],
//                    "lines":   {"title": "Lines", "rows": template giving an array, "item": template using {line.…},
//                                "limit": 5},
//                    "attachments": the same shape, for the document's attachments (names and types): listed under
//                                the title with a link to the entry's F&O form (menuItem), where they open
//                  }
//
// <read>:
//   "name"         how templates refer to the result ({order.PurchaseOrderNumber}); not event, legalEntity or line
//   "entitySet"    e.g. "PurchaseOrderHeadersV2"
//   "key"          {"Field": value, …}: every key field, in order; the result is the entity
//   "filter"       {"Field": value, …}: `Field eq value` terms joined with `and` (instead of "key")
//   "rows"         for a filtered read: "first" (default; the first row is the result) or "all" (the array of rows)
//   "expand"       optional $expand, e.g. "PurchaseOrderLinesV2"
//   "crossCompany" optional, default true (sends cross-company=true)
//   "optional"     optional, default false: when true, a read that cannot be made or finds nothing is skipped
//   A value is a template (an OData string literal) or {"guid": template} (unquoted Edm.Guid), {"number": template},
//   {"string": template}, {"enum": "NoYes", "symbol": template} (Microsoft.Dynamics.DataEntities.NoYes'Yes').
//
// Templates: a string, or an array of alternatives of which the first with all its values is used. Placeholders are
// {event.Field} (payload), {legalEntity} (lower-cased), {readName.Field.Sub}, {rows.0.Field} (array element) and, in
// a line list item, {line.Field}; filters |money:path.To.Currency, |date, |int, |dimensions. See `Template`.

/// The event catalog: entries tried in order, plus where the environment's dimension formats come from.
public struct EventCatalog: Sendable {
    /// The defaults, matching DESIGN.md §7, the fixtures and the sandbox.
    public static let standard: EventCatalog = {
        do {
            return try EventCatalog(json: standardJSON)
        } catch {
            fatalError("the standard event catalog is invalid: \(error)")
        }
    }()

    public let entries: [CatalogEntry]
    /// The read (all rows of `DimensionIntegrationFormats`) whose result `DimensionFormat.active(_:in:)` picks from.
    public let dimensionFormats: ReadTemplate
    /// The workflow write-back actions.
    public let workflowActions: WorkflowActions
    /// When pending approvals are reminded.
    public let reminders: ReminderSettings

    /// A complete catalog document.
    public init(json: JSONValue) throws(CatalogError) {
        let document = try Self.parse(json)
        guard let dimensionFormats = document.dimensionFormats else { throw CatalogError("missing \"dimensionFormats\"", at: "") }
        guard let workflowActions = document.workflowActions else { throw CatalogError("missing \"workflowActions\"", at: "") }
        self.init(entries: document.entries, dimensionFormats: dimensionFormats, workflowActions: workflowActions,
                  reminders: document.reminders ?? .off)
    }

    private init(entries: [CatalogEntry], dimensionFormats: ReadTemplate, workflowActions: WorkflowActions, reminders: ReminderSettings) {
        self.entries = entries
        self.dimensionFormats = dimensionFormats
        self.workflowActions = workflowActions
        self.reminders = reminders
    }

    /// This catalog with a connection's overrides (same format; both members optional): entries with a known id
    /// replace that entry in place, new entries are tried first (in their order), `dimensionFormats` replaces
    /// the read. `nil` or JSON `null` changes nothing.
    public func overridden(by overrides: JSONValue?) throws(CatalogError) -> EventCatalog {
        guard let overrides, overrides != .null else { return self }
        let document = try Self.parse(overrides)
        return EventCatalog(entries: Self.merge(entries, overriddenBy: document.entries, id: \.id),
                            dimensionFormats: document.dimensionFormats ?? dimensionFormats,
                            workflowActions: document.workflowActions ?? workflowActions,
                            reminders: document.reminders ?? reminders)
    }

    /// The override rule, for entries and for their rules alike: an override with a known id replaces that one in
    /// place, new ones are tried first, in their order.
    static func merge<Item>(_ base: [Item], overriddenBy overrides: [Item], id: (Item) -> String) -> [Item] {
        var replaced = base
        var added: [Item] = []
        for item in overrides {
            if let index = replaced.firstIndex(where: { id($0) == id(item) }) {
                replaced[index] = item
            } else {
                added.append(item)
            }
        }
        return added + replaced
    }

    /// The standard document, parsed once.
    static let standardJSON: JSONValue = {
        do {
            return try JSONParser.parse(standardDocument.utf8)
        } catch {
            fatalError("the standard event catalog is not JSON: \(error)")
        }
    }()

    /// The entry objects of a catalog document, checked to be a catalog document.
    static func entryDocuments(_ value: JSONValue) throws(CatalogError) -> [CatalogJSON] {
        try document(value).member("entries")?.elements() ?? []
    }

    /// A catalog document: an object with only the catalog's members.
    private static func document(_ value: JSONValue) throws(CatalogError) -> CatalogJSON {
        try CatalogJSON(value).object(allowing: ["dimensionFormats", "workflowActions", "reminders", "entries"])
    }

    /// The first entry whose pattern and conditions match the event.
    public func entry(for event: BusinessEvent) -> CatalogEntry? {
        entries.first { $0.matches(event) }
    }

    private static func parse(_ value: JSONValue) throws(CatalogError)
        -> (entries: [CatalogEntry], dimensionFormats: ReadTemplate?, workflowActions: WorkflowActions?, reminders: ReminderSettings?) {
        let json = try document(value)
        var entries: [CatalogEntry] = []
        for element in try json.member("entries")?.elements() ?? [] {
            let entry = try CatalogEntry(json: element)
            guard !entries.contains(where: { $0.id == entry.id }) else { throw element.error("entry id \"\(entry.id)\" is used twice") }
            entries.append(entry)
        }
        let workflowActions = try json.member("workflowActions").map { json throws(CatalogError) in try WorkflowActions(json: json) }
        let reminders = try json.member("reminders").map { json throws(CatalogError) in try ReminderSettings(json: json) }
        guard let dimensionFormats = json.member("dimensionFormats") else { return (entries, nil, workflowActions, reminders) }
        return (entries, try ReadTemplate(json: dimensionFormats, defaultName: "dimensionFormats"), workflowActions, reminders)
    }

    // The assumptions in here (payment event fields, workflow field names, menu items) are what an operator may
    // need to override for a real environment; see fixtures/README.md.
    private static let standardDocument = #"""
    {
      "dimensionFormats": {"entitySet": "DimensionIntegrationFormats", "rows": "all"},
      "workflowActions": {
        "validate": {"path": "WorkflowWorkItems/Microsoft.Dynamics.DataEntities.validate",
                     "body": {"WorkflowWorkitemInstanceID": "{workItem}"}},
        "complete": {"path": "WorkflowWorkItems/Microsoft.Dynamics.DataEntities.complete",
                     "body": {"WorkflowWorkitemInstanceID": "{workItem}", "Outcome": "{outcome}", "Comment": "{comment}"}},
        "outcomes": {"approve": "Approve", "reject": "Reject", "requestChange": "RequestChange",
                     "delegate": {"outcome": "Delegate", "body": {"DelegateUserId": "{delegate}"}}}
      },
      "reminders": {"points": [], "quietHours": "20:00-08:00"},
      "entries": [
        {
          "id": "purchase-order-confirmed",
          "event": "PurchaseOrderConfirmedBusinessEvent",
          "kind": "notice",
          "title": ["Purchase order {event.PurchaseOrderNumber} confirmed", "Purchase order confirmed"],
          "reads": [
            {"name": "order", "entitySet": "PurchaseOrderHeadersV2", "expand": "PurchaseOrderLinesV2",
             "key": {"dataAreaId": "{legalEntity}", "PurchaseOrderNumber": "{event.PurchaseOrderNumber}"}},
            {"name": "vendor", "entitySet": "VendorsV2", "optional": true,
             "key": {"dataAreaId": "{legalEntity}", "VendorAccountNumber": "{event.VendorAccount}"}}
          ],
          "amount": "{event.TransactionCurrencyAmount}",
          "currency": "{event.TransactionCurrencyCode}",
          "menuItem": "PurchTableListPage",
          "card": {
            "text": [
              "Purchase order {event.PurchaseOrderNumber} to {vendor.VendorOrganizationName} confirmed, {event.TransactionCurrencyAmount|money:event.TransactionCurrencyCode}",
              "Purchase order {event.PurchaseOrderNumber} confirmed, {event.TransactionCurrencyAmount|money:event.TransactionCurrencyCode}",
              "Purchase order {event.PurchaseOrderNumber} confirmed"
            ],
            "fields": [
              {"label": "Vendor", "value": ["{vendor.VendorOrganizationName} ({event.VendorAccount})", "{event.VendorAccount}"]},
              {"label": "Total", "value": "{event.TransactionCurrencyAmount|money:event.TransactionCurrencyCode}"},
              {"label": "Requested delivery", "value": "{order.RequestedDeliveryDate|date}"},
              {"label": "Order date", "value": "{event.PurchaseOrderDate|date}"},
              {"label": "Legal entity", "value": "{legalEntity}"},
              {"label": "Dimensions", "value": "{order.DefaultLedgerDimensionDisplayValue|dimensions}"}
            ],
            "lines": {
              "title": "Lines", "rows": "{order.PurchaseOrderLinesV2}", "limit": 5,
              "item": [
                "*{line.ItemNumber}* {line.LineDescription} — {line.OrderedPurchaseQuantity|int} {line.PurchaseUnitSymbol} × {line.PurchasePrice|money:order.CurrencyCode} = {line.LineAmount|money:order.CurrencyCode}",
                "{line.LineDescription} — {line.LineAmount|money:order.CurrencyCode}",
                "{line.ItemNumber} — {line.LineAmount|money:order.CurrencyCode}"
              ]
            }
          }
        },
        {
          "id": "vendor-invoice-posted",
          "event": "VendorInvoicePostedBusinessEvent",
          "kind": "notice",
          "title": ["Vendor invoice {event.InvoiceId} posted", "Vendor invoice posted"],
          "reads": [
            {"name": "invoice", "entitySet": "VendInvoiceJourBiEntities",
             "filter": {"dataAreaId": "{legalEntity}", "InvoiceId": "{event.InvoiceId}", "InvoiceAccount": "{event.InvoiceAccount}"}},
            {"name": "vendor", "entitySet": "VendorsV2", "optional": true,
             "key": {"dataAreaId": "{legalEntity}", "VendorAccountNumber": "{event.InvoiceAccount}"}}
          ],
          "amount": ["{invoice.InvoiceAmount}", "{event.TransactionCurrencyAmount}"],
          "currency": ["{invoice.CurrencyCode}", "{event.TransactionCurrencyCode}"],
          "menuItem": "VendInvoiceJournal",
          "card": {
            "text": [
              "Vendor invoice {event.InvoiceId} from {vendor.VendorOrganizationName} posted, {invoice.InvoiceAmount|money:invoice.CurrencyCode}",
              "Vendor invoice {event.InvoiceId} posted, {invoice.InvoiceAmount|money:invoice.CurrencyCode}",
              "Vendor invoice {event.InvoiceId} posted"
            ],
            "fields": [
              {"label": "Vendor", "value": ["{vendor.VendorOrganizationName} ({event.InvoiceAccount})", "{event.InvoiceAccount}"]},
              {"label": "Amount", "value": ["{invoice.InvoiceAmount|money:invoice.CurrencyCode}", "{event.TransactionCurrencyAmount|money:event.TransactionCurrencyCode}"]},
              {"label": "Invoice date", "value": ["{invoice.InvoiceDate|date}", "{event.InvoiceDate|date}"]},
              {"label": "Due date", "value": ["{invoice.DueDate|date}", "{event.InvoiceDueDate|date}"]},
              {"label": "Voucher", "value": ["{invoice.LedgerVoucher}", "{event.Voucher}"]},
              {"label": "Purchase order", "value": ["{invoice.PurchId}", "{event.PurchaseOrderNumber}"]},
              {"label": "Legal entity", "value": "{legalEntity}"}
            ]
          }
        },
        {
          "id": "vendor-payment-posted",
          "event": "VendorPaymentPostedBusinessEvent",
          "kind": "notice",
          "title": ["Payment to {vendor.VendorOrganizationName} posted", "Vendor payment {event.JournalBatchNumber} posted", "Vendor payment posted"],
          "reads": [
            {"name": "lines", "entitySet": "VendorPaymentJournalLines", "rows": "all",
             "filter": {"dataAreaId": "{legalEntity}", "JournalBatchNumber": "{event.JournalBatchNumber}"}},
            {"name": "vendor", "entitySet": "VendorsV2", "optional": true,
             "key": {"dataAreaId": "{legalEntity}", "VendorAccountNumber": "{event.VendorAccount}"}}
          ],
          "amount": "{event.TransactionCurrencyAmount}",
          "currency": "{event.TransactionCurrencyCode}",
          "menuItem": "LedgerJournalTable_VendPaym",
          "card": {
            "text": [
              "Payment of {event.TransactionCurrencyAmount|money:event.TransactionCurrencyCode} to {vendor.VendorOrganizationName} posted",
              "Payment of {event.TransactionCurrencyAmount|money:event.TransactionCurrencyCode} to {event.VendorAccount} posted",
              "Vendor payment {event.JournalBatchNumber} posted"
            ],
            "fields": [
              {"label": "Vendor", "value": ["{vendor.VendorOrganizationName} ({event.VendorAccount})", "{event.VendorAccount}"]},
              {"label": "Amount", "value": "{event.TransactionCurrencyAmount|money:event.TransactionCurrencyCode}"},
              {"label": "Method", "value": "{lines.0.PaymentMethodName}"},
              {"label": "Payment date", "value": ["{event.PaymentDate|date}", "{lines.0.TransactionDate|date}"]},
              {"label": "Voucher", "value": ["{event.Voucher}", "{lines.0.Voucher}"]},
              {"label": "Payment journal", "value": "{event.JournalBatchNumber}"},
              {"label": "Legal entity", "value": "{legalEntity}"}
            ],
            "lines": {
              "title": "Invoices settled", "rows": "{lines}", "limit": 5,
              "item": ["{line.MarkedInvoice} — {line.DebitAmount|money:line.CurrencyCode}", "{line.MarkedInvoice}"]
            }
          }
        },
        {
          "id": "vendor-invoice-approval",
          "event": "Workflow_*_WorkItem",
          "when": {"WorkflowDocument": "VendorInvoiceHeaders"},
          "kind": "approval",
          "title": ["Vendor invoice {event.ContextRecordSubject} needs approval", "Vendor invoice needs approval"],
          "reads": [
            {"name": "document", "entitySet": "VendorInvoiceHeaders", "expand": "VendorInvoiceLine",
             "key": {"dataAreaId": "{legalEntity}", "HeaderReference": "{event.ContextRecordSubject}"}},
            {"name": "vendor", "entitySet": "VendorsV2", "optional": true,
             "key": {"dataAreaId": "{legalEntity}", "VendorAccountNumber": "{document.InvoiceAccount}"}},
            {"name": "attachments", "entitySet": "VendorInvoiceDocumentAttachments", "rows": "all", "optional": true,
             "filter": {"dataAreaId": "{legalEntity}", "HeaderReference": "{event.ContextRecordSubject}"}}
          ],
          "amount": ["{document.VendorInvoiceLine|sum:Amount}", "{document.ImportedAmount}"],
          "currency": "{document.Currency}",
          "personEmail": "{event.WorkflowUserEmail}",
          "workItemID": "{event.WorkflowWorkItemInstanceId}",
          "menuItem": "VendInvoiceInfoListPage",
          "card": {
            "text": [
              "Vendor invoice {event.ContextRecordSubject} from {vendor.VendorOrganizationName}, {document.VendorInvoiceLine|sum:Amount|money:document.Currency}, needs your approval",
              "Vendor invoice {event.ContextRecordSubject} from {vendor.VendorOrganizationName}, {document.ImportedAmount|money:document.Currency}, needs your approval",
              "Vendor invoice {event.ContextRecordSubject} from {document.VendorName}, {document.ImportedAmount|money:document.Currency}, needs your approval",
              "{workitem.Subject}",
              "Vendor invoice {event.ContextRecordSubject} needs your approval"
            ],
            "summary": [
              "*{workitem.Subject}*\n{event.WorkflowStepInstruction}",
              "*{workitem.Subject}*",
              "{event.WorkflowStepInstruction}"
            ],
            "fields": [
              {"label": "Invoice number", "value": "{document.InvoiceNumber}"},
              {"label": "Vendor", "value": ["{vendor.VendorOrganizationName} ({document.InvoiceAccount})", "{document.VendorName} ({document.InvoiceAccount})", "{document.InvoiceAccount}"]},
              {"label": "Amount", "value": ["{document.VendorInvoiceLine|sum:Amount|money:document.Currency}", "{document.ImportedAmount|money:document.Currency}"]},
              {"label": "Invoice date", "value": "{document.InvoiceDate|date}"},
              {"label": "Due date", "value": "{document.DueDate|date}"},
              {"label": "Payment terms", "value": "{vendor.DefaultPaymentTermsName}"},
              {"label": "Purchase order", "value": "{document.PurchaseOrderNumber}"},
              {"label": "Dimensions", "value": "{document.DimensionDisplayValue|dimensions}"},
              {"label": "Approval due", "value": "{workitem.DueDateTime|date}"},
              {"label": "Legal entity", "value": "{legalEntity}"}
            ],
            "lines": {
              "title": "Lines", "rows": "{document.VendorInvoiceLine}", "limit": 5,
              "item": [
                "*{line.ItemNumber}* {line.LineDescription} — {line.ReceiveNow|int} × {line.UnitPrice|money:document.Currency} = {line.Amount|money:document.Currency}",
                "{line.ItemName} — {line.Amount|money:document.Currency}",
                "{line.ItemNumber} — {line.Amount|money:document.Currency}"
              ]
            },
            "attachments": {
              "title": "Attachments", "rows": "{attachments}", "limit": 5,
              "item": ["{line.Name} ({line.FileType})", "{line.FileName} ({line.FileType})", "{line.Name}", "{line.FileName}"]
            }
          }
        },
        {
          "id": "workflow-work-item",
          "event": "Workflow_*_WorkItem",
          "kind": "approval",
          "title": "Approval requested",
          "personEmail": "{event.WorkflowUserEmail}",
          "workItemID": "{event.WorkflowWorkItemInstanceId}",
          "card": {
            "text": ["{workitem.Subject}", "A Dynamics 365 work item needs your approval"],
            "summary": ["*{workitem.Subject}*\n{event.WorkflowStepInstruction}", "*{workitem.Subject}*", "{event.WorkflowStepInstruction}"],
            "fields": [
              {"label": "Document", "value": "{event.ContextRecordSubject}"},
              {"label": "Assigned to", "value": ["{approver.PersonName} ({approver.Email})", "{approver.Email}"]},
              {"label": "Approval due", "value": "{workitem.DueDateTime|date}"},
              {"label": "Legal entity", "value": "{legalEntity}"}
            ]
          }
        },
        {"id": "workflow-started", "event": "Workflow_*_Started", "kind": "ignore", "title": "Workflow started"},
        {"id": "workflow-external-task", "event": "Workflow_*_ExternalTask", "kind": "ignore", "title": "Workflow external task"},
        {
          "id": "workflow-update",
          "event": "Workflow_*",
          "kind": "workflowUpdate",
          "title": "Workflow step",
          "workItemID": "{event.WorkflowWorkItemInstanceId}"
        }
      ]
    }
    """#
}
