import Core
import Domain
import Foundation
import Testing

private let dynamicsURL = "https://usmf-sandbox.operations.dynamics.com/"
private let defaultFormat = DimensionFormat("BusinessUnit-Department-CostCenter")
private let renderer = CardRenderer(dynamicsURL: dynamicsURL, dimensionFormat: defaultFormat)

/// The standard entry for a fixture event, its context after the fixture reads, and the card.
private func card(for fixture: String, changes: [String: JSONValue?] = [:], responses: [String: JSONValue] = CatalogFixtures.allResponses,
                  catalog: EventCatalog = .standard, approval: ApprovalButtons? = nil, note: String? = nil) throws -> SlackCard {
    var payload = try #require(CatalogFixtures.json(fixture).objectValue)
    for (key, value) in changes { payload[key] = value }
    let event = try BusinessEvent.parse(.object(payload))
    let entry = try #require(catalog.entry(for: event))
    let context = CatalogFixtures.performReads(of: entry, for: event, responses: responses).context
    return renderer.render(entry, context: context, approval: approval, note: note)
}

private func blocks(_ card: SlackCard, type: String) -> [JSONValue] {
    card.blocks.filter { $0["type"]?.stringValue == type }
}

private func headerText(_ card: SlackCard) -> String? {
    blocks(card, type: "header").first?["text"]?["text"]?.stringValue
}

/// Every section field's text.
private func fields(_ card: SlackCard) -> [String] {
    blocks(card, type: "section").flatMap { $0["fields"]?.arrayValue ?? [] }.compactMap { $0["text"]?.stringValue }
}

private func sectionTexts(_ card: SlackCard) -> [String] {
    blocks(card, type: "section").compactMap { $0["text"]?["text"]?.stringValue }
}

private func contextTexts(_ card: SlackCard) -> [String] {
    blocks(card, type: "context").flatMap { $0["elements"]?.arrayValue ?? [] }.compactMap { $0["text"]?.stringValue }
}

/// Checks every Block Kit limit the renderer promises.
private func expectWithinLimits(_ card: SlackCard) {
    #expect(card.blocks.count <= 50)
    #expect(!card.text.isEmpty)
    let ids = card.blocks.compactMap { $0["block_id"]?.stringValue }
    #expect(Set(ids).count == ids.count)
    for block in card.blocks {
        switch block["type"]?.stringValue {
        case "header":
            #expect((block["text"]?["text"]?.stringValue?.utf16.count ?? 0) <= 150)
        case "section":
            let text = block["text"]?["text"]?.stringValue
            let fieldTexts = (block["fields"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
            #expect(text != nil || !fieldTexts.isEmpty)
            #expect((text?.utf16.count ?? 0) <= 3000)
            #expect(fieldTexts.count <= 10)
            #expect(fieldTexts.allSatisfy { $0.utf16.count <= 2000 })
        case "actions":
            for element in block["elements"]?.arrayValue ?? [] {
                #expect((element["text"]?["text"]?.stringValue?.utf16.count ?? 0) <= 75)
            }
        default:
            break
        }
    }
}

@Suite struct MoneyFormatterTests {
    @Test(arguments: [
        ("48250.75", "USD", "48,250.75 USD"),
        ("12500.00", "USD", "12,500.00 USD"),
        ("12500", "USD", "12,500.00 USD"),
        ("12345678901234567.89", "USD", "12,345,678,901,234,567.89 USD"),
        ("-1200.50", "USD", "-1,200.50 USD"),
        ("-1200.5", "EUR", "-1,200.50 EUR"),
        ("250.005", "USD", "250.005 USD"),
        ("0.5", "usd", "0.50 USD"),
        ("999", "USD", "999.00 USD"),
        ("1000", "JPY", "1,000 JPY"),
        ("12.5", "KWD", "12.500 KWD"),
        ("1e3", "USD", "1,000.00 USD"),
        ("1.5E-3", "USD", "0.0015 USD"),
        ("-2.5e6", "USD", "-2,500,000.00 USD"),
        ("12500.00", "", "12,500.00"),
    ])
    func formatsExactDigits(amount: String, currency: String, expected: String) {
        #expect(MoneyFormatter.format(amount, currency: currency) == expected)
    }

    @Test func jsonValues() {
        #expect(MoneyFormatter.format(JSONValue.number("48250.75"), currency: "USD") == "48,250.75 USD")
        #expect(MoneyFormatter.format(JSONValue.string("12500.00"), currency: "USD") == "12,500.00 USD")
        #expect(MoneyFormatter.format(JSONValue.bool(true), currency: "USD") == nil)
    }

    @Test(arguments: ["", "abc", "1,000", ".5", "5.", "+5", "1e", "NaN", "12 500", "0x10"])
    func refusesWhatIsNotADecimal(amount: String) {
        #expect(MoneyFormatter.format(amount, currency: "USD") == nil)
    }
}

@Suite struct DateDisplayTests {
    @Test(arguments: [
        ("2025-12-10T12:00:00Z", "10 Dec 2025"),
        ("2025-12-01T13:00:00Z", "1 Dec 2025"),
        ("/Date(1764374400000)/", "29 Nov 2025"),
        ("/Date(1766966400000)/", "29 Dec 2025"),
        ("/Date(-86400000)/", "31 Dec 1969"),
        ("2024-02-29T12:00:00Z", "29 Feb 2024"),
    ])
    func calendarDate(text: String, expected: String) {
        #expect(DateDisplay.format(text) == expected)
    }

    @Test(arguments: ["1900-01-01T12:00:00Z", "/Date(-2208988800000)/", "2154-12-31T23:59:59Z", "", "tomorrow", "2025-13-01T12:00:00Z"])
    func emptyNeverAndInvalidDatesShowNothing(text: String) {
        #expect(DateDisplay.format(text) == nil)
    }
}

@Suite struct DimensionFormatTests {
    @Test func splitsWithNames() {
        let split = defaultFormat.split("001-022-Audio")
        #expect(split.map(\.name) == ["BusinessUnit", "Department", "CostCenter"])
        #expect(split.map(\.value) == ["001", "022", "Audio"])
    }

    @Test func escapedHyphenEmptyAndExtraSegments() {
        let split = defaultFormat.split(#"US\-108--Audio-X9"#)
        #expect(split.map(\.name) == ["BusinessUnit", "CostCenter", "Segment 4"])
        #expect(split.map(\.value) == ["US-108", "Audio", "X9"])
        #expect(defaultFormat.split("001--").map(\.value) == ["001"])
        #expect(defaultFormat.split("").isEmpty)
    }

    @Test func picksTheActiveFormatOfEachKind() throws {
        let formats = CatalogFixtures.json(CatalogFixtures.dimensionFormats)
        #expect(DimensionFormat.active(.defaultDimension, in: formats)?.names == ["BusinessUnit", "Department", "CostCenter"])
        #expect(DimensionFormat.active(.ledgerDimension, in: formats)?.names == ["MainAccount", "BusinessUnit", "Department", "CostCenter"])
        let inactive = try JSONParser.parse(#"""
            [{"DimensionFormatType": "DataEntityDefaultDimensionFormat", "FinancialDimensionFormat": "A-B", "IsActive": "No"},
             {"DimensionFormatType": "DataEntityDefaultDimensionFormat", "FinancialDimensionFormat": "C-D", "IsActive": "Yes"}]
            """#.utf8)
        #expect(DimensionFormat.active(.defaultDimension, in: inactive)?.names == ["C", "D"])
        #expect(DimensionFormat.active(.ledgerDimension, in: inactive) == nil)
    }
}

@Suite struct SlackTextAndLimitsTests {
    @Test func escapesTheThreeControlCharacters() {
        #expect(SlackText.escape("<!channel> & <@U123>") == "&lt;!channel&gt; &amp; &lt;@U123&gt;")
        #expect(SlackText.escape("Fabrikam Supplies") == "Fabrikam Supplies")
    }

    @Test func truncatesOnCharacterBoundaries() {
        #expect(BlockKitLimits.truncate("abcdef", to: 6) == "abcdef")
        #expect(BlockKitLimits.truncate("abcdefg", to: 6) == "abcde…")
        // 👍🏽 is one Character of 4 UTF-16 units; it is kept whole or not at all.
        #expect(BlockKitLimits.truncate("ab👍🏽cd", to: 6) == "ab…")
        #expect(BlockKitLimits.truncate("ab👍🏽cd", to: 7) == "ab👍🏽…")
        // Never inside an escape.
        #expect(BlockKitLimits.truncate("R &amp; D department", to: 6) == "R …")
    }

    @Test func longTextsAndManyFieldsAreFitted() {
        let fields: [JSONValue] = (1...25).map { ["type": "mrkdwn", "text": .string("*F\($0)*\n" + String(repeating: "x", count: 2500))] }
        let enforced = BlockKitLimits.enforce([
            ["type": "header", "text": ["type": "plain_text", "text": .string(String(repeating: "H", count: 200))]],
            ["type": "section", "text": ["type": "mrkdwn", "text": .string(String(repeating: "s", count: 3500))], "fields": .array(fields)],
            ["type": "actions", "block_id": "mlc.decision", "elements": [
                ["type": "button", "action_id": "a", "text": ["type": "plain_text", "text": .string(String(repeating: "b", count: 80))]],
            ]],
        ])
        let card = SlackCard(blocks: enforced, text: "t")
        expectWithinLimits(card)
        #expect(enforced.count == 5)  // header, three sections of 10 + 10 + 5 fields, actions
        #expect(enforced[1]["text"]?["text"]?.stringValue?.hasSuffix("…") == true)
        #expect(enforced[3]["fields"]?.arrayValue?.count == 5)
    }

    @Test func tooManyBlocksDropTheLeastImportantAndSaySo() {
        var blocks: [JSONValue] = [["type": "header", "text": ["type": "plain_text", "text": "Title"]]]
        blocks += (1...70).map { ["type": "section", "text": ["type": "mrkdwn", "text": .string("Section \($0)")]] }
        blocks.append(["type": "context", "elements": [["type": "mrkdwn", "text": "link"]]])
        blocks.append(["type": "actions", "block_id": "mlc.decision", "elements": []])
        let enforced = BlockKitLimits.enforce(blocks)
        #expect(enforced.count == 50)
        #expect(enforced.first?["type"] == "header")
        #expect(enforced.last?["block_id"] == "mlc.decision")
        let texts = enforced.compactMap { $0["text"]?["text"]?.stringValue }
        #expect(texts.contains("Section 46") && !texts.contains("Section 47"))
        let notes = enforced.flatMap { $0["elements"]?.arrayValue ?? [] }.compactMap { $0["text"]?.stringValue }
        #expect(notes == ["_…and 24 more not shown_", "link"])
    }

    @Test func repeatedBlockIDsAreRemoved() {
        let enforced = BlockKitLimits.enforce([
            ["type": "section", "block_id": "a", "text": ["type": "mrkdwn", "text": "1"]],
            ["type": "section", "block_id": "a", "text": ["type": "mrkdwn", "text": "2"]],
        ])
        #expect(enforced.map { $0["block_id"] } == ["a", nil])
    }
}

@Suite struct NoticeCardTests {
    @Test func purchaseOrderConfirmed() throws {
        let card = try card(for: CatalogFixtures.purchaseOrderConfirmed)
        #expect(headerText(card) == "Purchase order USMF-000142 confirmed")
        #expect(fields(card) == [
            "*Vendor*\nFabrikam Supplies (US-104)",
            "*Total*\n48,250.75 USD",
            "*Requested delivery*\n10 Dec 2025",
            "*Order date*\n29 Nov 2025",
            "*Legal entity*\nusmf",
            "*Dimensions*\nBusinessUnit: 001 · Department: 022 · CostCenter: Audio",
        ])
        #expect(sectionTexts(card) == [
            "*Lines*\n• *M0001* Speaker cabinet, walnut — 150 ea × 250.005 USD = 37,500.75 USD"
                + "\n• *M0004* Amplifier board — 50 ea × 215.00 USD = 10,750.00 USD",
        ])
        #expect(contextTexts(card) == ["<https://usmf-sandbox.operations.dynamics.com/?cmp=usmf&amp;mi=PurchTableListPage|Open in Dynamics 365>"])
        #expect(blocks(card, type: "actions").isEmpty)
        #expect(card.text == "Purchase order USMF-000142 to Fabrikam Supplies confirmed, 48,250.75 USD")
        expectWithinLimits(card)
    }

    @Test func rendersWithoutTheOptionalVendorAndWithoutLinkOrFormat() throws {
        var responses = CatalogFixtures.allResponses
        responses["VendorsV2"] = nil
        let event = CatalogFixtures.event(CatalogFixtures.purchaseOrderConfirmed)
        let entry = try #require(EventCatalog.standard.entry(for: event))
        let context = CatalogFixtures.performReads(of: entry, for: event, responses: responses).context
        let card = CardRenderer(dynamicsURL: nil, dimensionFormat: nil).render(entry, context: context)
        #expect(fields(card).first == "*Vendor*\nUS-104")
        #expect(fields(card).last == "*Dimensions*\n001-022-Audio")
        #expect(contextTexts(card).isEmpty)
        #expect(card.text == "Purchase order USMF-000142 confirmed, 48,250.75 USD")
    }

    @Test func rendersFromTheEventAloneWhenNothingWasRead() throws {
        let card = try card(for: CatalogFixtures.purchaseOrderConfirmed, responses: [:])
        #expect(headerText(card) == "Purchase order USMF-000142 confirmed")
        #expect(fields(card).count == 4)  // vendor account, total, order date, legal entity
        #expect(sectionTexts(card).isEmpty)
    }

    @Test func manyLinesShowFiveAndSayHowManyMore() throws {
        let card = try card(for: CatalogFixtures.purchaseOrderConfirmed, responses: responsesWithLines(200))
        let lines = try #require(sectionTexts(card).first)
        #expect(lines.split(separator: "\n").filter { $0.hasPrefix("• ") }.count == 5)
        #expect(lines.hasSuffix("\n_and 195 more_"))
        expectWithinLimits(card)
    }

    @Test func aLargeLineLimitStillFitsBlockKit() throws {
        let overrides = try JSONParser.parse(#"""
            {"entries": [{"id": "purchase-order-confirmed", "event": "PurchaseOrderConfirmedBusinessEvent", "kind": "notice",
              "title": "Purchase order {event.PurchaseOrderNumber} confirmed",
              "reads": [{"name": "order", "entitySet": "PurchaseOrderHeadersV2",
                         "key": {"dataAreaId": "{legalEntity}", "PurchaseOrderNumber": "{event.PurchaseOrderNumber}"}}],
              "card": {"lines": {"title": "Lines", "rows": "{order.PurchaseOrderLinesV2}", "limit": 1000,
                                 "item": "{line.ItemNumber} {line.LineDescription} {line.LineAmount|money:order.CurrencyCode}"}}}]}
            """#.utf8)
        let catalog = try EventCatalog.standard.overridden(by: overrides)
        let card = try card(for: CatalogFixtures.purchaseOrderConfirmed, responses: responsesWithLines(200), catalog: catalog)
        expectWithinLimits(card)
        let lines = try #require(sectionTexts(card).first)
        let shown = lines.split(separator: "\n").filter { $0.hasPrefix("• ") }.count
        #expect(shown > 20 && shown < 200)
        #expect(lines.hasSuffix("\n_and \(200 - shown) more_"))
    }

    @Test func vendorInvoicePosted() throws {
        let card = try card(for: CatalogFixtures.vendorInvoicePosted)
        #expect(headerText(card) == "Vendor invoice INV-88213 posted")
        #expect(fields(card) == [
            "*Vendor*\nFabrikam Supplies (US-104)",
            "*Amount*\n12,500.00 USD",
            "*Invoice date*\n29 Nov 2025",
            "*Due date*\n29 Dec 2025",
            "*Voucher*\nAPINV-000311",
            "*Purchase order*\nUSMF-000142",
            "*Legal entity*\nusmf",
        ])
        #expect(contextTexts(card) == ["<https://usmf-sandbox.operations.dynamics.com/?cmp=usmf&amp;mi=VendInvoiceJournal|Open in Dynamics 365>"])
        #expect(card.text == "Vendor invoice INV-88213 from Fabrikam Supplies posted, 12,500.00 USD")
    }

    @Test func vendorPaymentPosted() throws {
        let card = try card(for: CatalogFixtures.vendorPaymentPosted)
        #expect(headerText(card) == "Payment to Fabrikam Supplies posted")
        #expect(fields(card) == [
            "*Vendor*\nFabrikam Supplies (US-104)",
            "*Amount*\n12,500.00 USD",
            "*Method*\nCHECK",
            "*Payment date*\n29 Nov 2025",
            "*Voucher*\nAPPAY-000090",
            "*Payment journal*\nUSMF-PAY-00077",
            "*Legal entity*\nusmf",
        ])
        #expect(sectionTexts(card) == ["*Invoices settled*\n• INV-88213 — 12,500.00 USD"])
        #expect(card.text == "Payment of 12,500.00 USD to Fabrikam Supplies posted")
    }

    @Test func largeAmountDigitForDigit() throws {
        let event = CatalogFixtures.event(CatalogFixtures.purchaseOrderConfirmed)
        var payload = event.payload
        payload["TransactionCurrencyAmount"] = .number("12345678901234567.89")
        let large = try BusinessEvent.parse(.object(payload))
        let entry = try #require(EventCatalog.standard.entry(for: large))
        let context = CatalogFixtures.performReads(of: entry, for: large, responses: CatalogFixtures.allResponses).context
        #expect(entry.amount?.value(in: context)?.decimalValue == Decimal(string: "12345678901234567.89"))
        let card = renderer.render(entry, context: context)
        #expect(fields(card).contains("*Total*\n12,345,678,901,234,567.89 USD"))
        #expect(card.text.hasSuffix("12,345,678,901,234,567.89 USD"))
    }

    @Test func vendorNamesFromDynamicsAreEscapedEverywhere() throws {
        var responses = CatalogFixtures.allResponses
        var vendor = try #require(responses["VendorsV2"]?.objectValue)
        vendor["VendorOrganizationName"] = "<!channel> & <@U123>"
        responses["VendorsV2"] = .object(vendor)
        for fixture in [CatalogFixtures.purchaseOrderConfirmed, CatalogFixtures.vendorPaymentPosted, CatalogFixtures.workflowWorkItem] {
            let card = try card(for: fixture, responses: responses, approval: ApprovalButtons(reference: "r"))
            let serialized = card.json.serialized()
            #expect(!serialized.contains("<!channel>"))
            #expect(!serialized.contains("<@U123>"))
            #expect(serialized.contains("&lt;!channel&gt; &amp; &lt;@U123&gt;"))
            #expect(card.text.contains("&lt;!channel&gt; &amp; &lt;@U123&gt;"))
            #expect(!card.text.contains("<"))
        }
        let payment = try card(for: CatalogFixtures.vendorPaymentPosted, responses: responses)
        #expect(headerText(payment) == "Payment to &lt;!channel&gt; &amp; &lt;@U123&gt; posted")
    }

    @Test func noteIsAnEscapedContextLineUnderTheHeader() throws {
        let card = try card(for: CatalogFixtures.vendorInvoicePosted,
                            note: "Sent to #ap-fallback because <alicia.thornton@contoso.example> is not in Slack")
        #expect(card.blocks[1]["type"] == "context")
        #expect(contextTexts(card).first == "Sent to #ap-fallback because &lt;alicia.thornton@contoso.example&gt; is not in Slack")
    }

    /// The fixture responses with a purchase order of `count` lines.
    private func responsesWithLines(_ count: Int) throws -> [String: JSONValue] {
        var responses = CatalogFixtures.allResponses
        var order = try #require(responses["PurchaseOrderHeadersV2"]?.objectValue)
        let template = try #require(order["PurchaseOrderLinesV2"]?.arrayValue?.first?.objectValue)
        order["PurchaseOrderLinesV2"] = .array((1...count).map { number in
            var line = template
            line["LineNumber"] = .number(String(number))
            line["ItemNumber"] = .string("M\(number)")
            return .object(line)
        })
        responses["PurchaseOrderHeadersV2"] = .object(order)
        return responses
    }
}

@Suite struct ApprovalCardTests {
    let reference = "apr_7F3E2D1C"

    @Test func vendorInvoiceApproval() throws {
        let card = try card(for: CatalogFixtures.workflowWorkItem, approval: ApprovalButtons(reference: reference))
        #expect(headerText(card) == "Vendor invoice USMF-VI-000418 needs approval")
        #expect(sectionTexts(card).first == "*Vendor invoice USMF-VI-000418 from Fabrikam Supplies for 12,500.00 USD requires approval*"
            + "\nReview the invoice against the purchase order and approve or reject.")
        #expect(fields(card) == [
            "*Invoice number*\nINV-88213",
            "*Vendor*\nFabrikam Supplies (US-104)",
            "*Amount*\n12,500.00 USD",
            "*Invoice date*\n29 Nov 2025",
            "*Due date*\n29 Dec 2025",
            "*Payment terms*\nNet30",
            "*Purchase order*\nUSMF-000142",
            "*Dimensions*\nBusinessUnit: 001 · Department: 022 · CostCenter: Audio",
            "*Approval due*\n1 Dec 2025",
            "*Legal entity*\nusmf",
        ])
        #expect(sectionTexts(card).dropLast().last == "*Lines*\n• *M0001* Speaker cabinet, walnut — 50 × 250.00 USD = 12,500.00 USD")
        // The attachments by name and type, linked to the invoice's F&O form (the entity has no URL; no file is copied).
        #expect(sectionTexts(card).last == "*Attachments* · <https://usmf-sandbox.operations.dynamics.com/?cmp=usmf&amp;mi=VendInvoiceInfoListPage"
            + "|open them in Dynamics 365>\n• Fabrikam invoice INV-88213 (pdf)")
        #expect(contextTexts(card) == ["<https://usmf-sandbox.operations.dynamics.com/?cmp=usmf&amp;mi=VendInvoiceInfoListPage|Open in Dynamics 365>"])
        #expect(card.text == "Vendor invoice USMF-VI-000418 from Fabrikam Supplies, 12,500.00 USD, needs your approval")

        let actions = try #require(card.blocks.last)
        #expect(actions["type"] == "actions")
        #expect(actions["block_id"]?.stringValue == CardRenderer.decisionBlockID)
        #expect(actions["block_id"] == "mlc.decision")
        let buttons = try #require(actions["elements"]?.arrayValue)
        #expect(buttons.map { $0["action_id"] } == ["mlc.approve", "mlc.reject"])
        #expect(buttons.map { $0["style"] } == ["primary", "danger"])
        #expect(buttons.map { $0["text"]?["text"] } == ["Approve", "Reject"])
        #expect(buttons.map { $0["value"] } == [.string(reference), .string(reference)])
        expectWithinLimits(card)
    }

    @Test func rendersWithoutTheOptionalVendorAndTheImportedAmountWithoutLines() throws {
        var responses = CatalogFixtures.allResponses
        responses["VendorsV2"] = nil
        var invoice = try #require(CatalogFixtures.json(CatalogFixtures.pendingInvoice).objectValue)
        invoice["VendorInvoiceLine"] = .array([])
        invoice["ImportedAmount"] = .number("9870.5")
        responses["VendorInvoiceHeaders"] = .object(invoice)
        let card = try card(for: CatalogFixtures.workflowWorkItem, responses: responses, approval: ApprovalButtons(reference: reference))
        #expect(fields(card).contains("*Vendor*\nFabrikam Supplies (US-104)"))  // the document's VendorName
        #expect(fields(card).contains("*Amount*\n9,870.50 USD"), "no lines: the imported amount")
        #expect(card.text == "Vendor invoice USMF-VI-000418 from Fabrikam Supplies, 9,870.50 USD, needs your approval")
        #expect(blocks(card, type: "actions").count == 1)
    }

    @Test func otherDocumentsGetTheGenericApprovalCard() throws {
        let card = try card(for: CatalogFixtures.workflowWorkItem, changes: ["WorkflowDocument": "PurchReqTable"],
                            approval: ApprovalButtons(reference: reference))
        #expect(headerText(card) == "Approval requested")
        #expect(sectionTexts(card).first?.hasPrefix("*Vendor invoice USMF-VI-000418 from Fabrikam Supplies") == true)
        #expect(fields(card) == [
            "*Document*\nUSMF-VI-000418",
            "*Assigned to*\nAlicia Thornton (alicia.thornton@contoso.example)",
            "*Approval due*\n1 Dec 2025",
            "*Legal entity*\nusmf",
        ])
        #expect(contextTexts(card) == ["<https://usmf-sandbox.operations.dynamics.com/?cmp=usmf|Open in Dynamics 365>"])
        #expect(card.text == "Vendor invoice USMF-VI-000418 from Fabrikam Supplies for 12,500.00 USD requires approval")
        #expect(blocks(card, type: "actions").count == 1)
    }

    private func approval(_ state: ApprovalState, decision: ApprovalDecision? = .approve, reason: String? = nil,
                          note: String? = nil) -> ApprovalRecord {
        ApprovalRecord(id: 1, reference: reference, connectionID: 1, workItemID: "w", assignee: "alicia", state: state, decision: decision,
                       reason: reason, decidedBy: "U04ALICIA", decidedAt: "29 Nov 2025 13:01 UTC", note: note)
    }

    @Test func decidedRemovesTheButtonsAndSaysWhoDecided() throws {
        let open = try card(for: CatalogFixtures.workflowWorkItem, approval: ApprovalButtons(reference: reference))
        #expect(renderer.current(open, for: approval(.pending)) == open)
        let approved = renderer.current(open, for: approval(.approved))
        #expect(blocks(approved, type: "actions").isEmpty)
        #expect(approved.blocks.count == open.blocks.count)
        let status = try #require(approved.blocks.last)
        #expect(status["block_id"] == "mlc.status")
        #expect(status["text"]?["text"] == "Approved by <@U04ALICIA> at 29 Nov 2025 13:01 UTC")
        #expect(approved.text == "Approved by <@U04ALICIA> at 29 Nov 2025 13:01 UTC\n" + open.text)
        #expect(Array(approved.blocks.dropLast()) == Array(open.blocks.dropLast()))
    }

    @Test func rejectedShowsTheEscapedReason() throws {
        let open = try card(for: CatalogFixtures.workflowWorkItem, approval: ApprovalButtons(reference: reference))
        let rejected = renderer.current(open, for: approval(.rejected, decision: .reject,
                                                             reason: "Quantity billed (50) <> goods received (40) & <!here>"))
        #expect(blocks(rejected, type: "actions").isEmpty)
        #expect(rejected.blocks.last?["text"]?["text"] == .string(
            "Rejected by <@U04ALICIA> at 29 Nov 2025 13:01 UTC\nReason: Quantity billed (50) &lt;&gt; goods received (40) &amp; &lt;!here&gt;"))
        #expect(!rejected.json.serialized().contains("<!here>"))
    }

    @Test func everyStateReadsOnTheCard() throws {
        let open = try card(for: CatalogFixtures.workflowWorkItem, approval: ApprovalButtons(reference: reference))
        let expected: [(ApprovalRecord, String)] = [
            (approval(.deciding), "Recording approval by <@U04ALICIA>…"),
            (approval(.completing), "Recording approval by <@U04ALICIA>…"),
            (approval(.unconfirmed), "Sent to Dynamics 365; not yet confirmed (approval by <@U04ALICIA>). ml-connector keeps checking."),
            (approval(.decidedInDynamics, decision: nil), "Completed in Dynamics 365; nothing more to decide here."),
            (approval(.delegated, decision: nil, note: "reassigned to julia"),
             "Delegated or reassigned in Dynamics 365 (reassigned to julia); this card is closed."),
            (approval(.failed, note: "A comment is required <here>"),
             "Dynamics 365 did not record the approval by <@U04ALICIA>: A comment is required &lt;here&gt;"),
        ]
        for (record, status) in expected {
            let drawn = renderer.current(open, for: record)
            #expect(blocks(drawn, type: "actions").isEmpty, "\(record.state)")
            #expect(drawn.blocks.filter { $0["block_id"] == "mlc.status" }.count == 1)
            #expect(drawn.blocks.last?["text"]?["text"] == .string(status))
            #expect(drawn.text == status + "\n" + open.text)
            expectWithinLimits(drawn)
        }
    }

    @Test func everyOutcomeTheCatalogOffersIsAButton() throws {
        let decisions = ApprovalDecision.allCases
        let open = try card(for: CatalogFixtures.workflowWorkItem, approval: ApprovalButtons(reference: reference, decisions: decisions))
        let buttons = try #require(open.blocks.last?["elements"]?.arrayValue)
        #expect(buttons.map { $0["action_id"] } == ["mlc.approve", "mlc.reject", "mlc.request_change", "mlc.delegate"])
        #expect(buttons.map { $0["text"]?["text"] } == ["Approve", "Reject", "Request change", "Delegate"])
        #expect(buttons.map { $0["style"] } == ["primary", "danger", nil, nil])
        #expect(buttons.allSatisfy { $0["value"] == .string(reference) })
        for decision in decisions {
            #expect(ApprovalButtons.decision(forActionID: ApprovalButtons.actionID(for: decision)) == decision)
        }
        #expect(ApprovalButtons.decision(forActionID: "mlc.status") == nil && ApprovalButtons.decision(forActionID: "approve") == nil)
        expectWithinLimits(open)
    }

    @Test func changeRequestsAndDelegationsReadOnTheCard() throws {
        let open = try card(for: CatalogFixtures.workflowWorkItem, approval: ApprovalButtons(reference: reference, decisions: ApprovalDecision.allCases))
        func record(_ state: ApprovalState, _ decision: ApprovalDecision?, reason: String? = nil, note: String? = nil) -> ApprovalRecord {
            ApprovalRecord(id: 1, reference: reference, connectionID: 1, workItemID: "w", assignee: "alicia", state: state, decision: decision,
                           reason: reason, decidedBy: "U04ALICIA", delegateSlackID: "U05JULIA", delegateUser: "julia",
                           decidedAt: "29 Nov 2025 13:01 UTC", note: note)
        }
        let settled: [(ApprovalRecord, String)] = [
            (record(.changeRequested, .requestChange, reason: "Split line 2 <by cost centre>"),
             "Change requested by <@U04ALICIA> at 29 Nov 2025 13:01 UTC\nChange asked for: Split line 2 &lt;by cost centre&gt;"),
            (record(.deciding, .delegate), "Recording delegation to <@U05JULIA> by <@U04ALICIA>…"),
            (record(.delegated, .delegate, reason: "Julia owns audio"),
             "Delegated to <@U05JULIA> by <@U04ALICIA> at 29 Nov 2025 13:01 UTC; the work item is theirs in Dynamics 365 now.\nComment: Julia owns audio"),
            (record(.completing, .requestChange), "Recording change request by <@U04ALICIA>…"),
        ]
        for (approval, status) in settled {
            let drawn = renderer.current(open, for: approval)
            #expect(blocks(drawn, type: "actions").isEmpty, "\(approval.state)")
            #expect(drawn.blocks.last?["text"]?["text"] == .string(status))
            expectWithinLimits(drawn)
        }
        // Open again with why (a delegate with no F&O user): the note above the buttons, which stay.
        let reopened = renderer.current(open, for: record(.pending, nil, note: "Could not delegate: Dynamics 365 has no user with the email address <x>@contoso.example. Choose someone else"))
        #expect(blocks(reopened, type: "actions").count == 1)
        #expect(reopened.blocks.last?["block_id"] == "mlc.decision")
        let status = reopened.blocks.dropLast().last
        #expect(status?["block_id"] == "mlc.status")
        #expect(status?["text"]?["text"] == "Could not delegate: Dynamics 365 has no user with the email address &lt;x&gt;@contoso.example. Choose someone else")
        #expect(reopened.blocks.count == open.blocks.count + 1)
    }

    @Test func cardJSONRoundTrips() throws {
        let open = try card(for: CatalogFixtures.workflowWorkItem, approval: ApprovalButtons(reference: reference))
        #expect(open.json["text"] == .string(open.text))
        #expect(open.json["blocks"] == .array(open.blocks))
        #expect(SlackCard(json: try JSONParser.parse(open.json.serialized().utf8)) == open)
        #expect(SlackCard(json: ["text": "x"]) == nil)
        #expect(SlackCard(blocks: [], text: " ").text.isEmpty == false)
    }
}
