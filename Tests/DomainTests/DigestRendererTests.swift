import Core
import Domain
import FoundationEssentials
import Testing

/// Unix seconds of a UTC date and time.
private func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Int64 {
    Int64(CivilDate.days(year: year, month: month, day: day)) * 86_400 + Int64(hour * 3600 + minute * 60)
}

private func items(_ count: Int, title: (Int) -> String = { "Purchase order PO-\($0) confirmed" }) -> [DigestItem] {
    (0..<count).map { i in
        DigestItem(title: title(i), summary: "Vendor *Contoso* · line \(i)", link: "https://fo.example.com/?cmp=usmf&mi=PurchTableListPage",
                   amount: Decimal(string: "48250.75"), currency: "USD")
    }
}

/// Every text in the blocks (section texts, fields, context elements, headers) with its limit.
private func texts(_ blocks: [JSONValue]) -> [(String, Int)] {
    blocks.flatMap { block -> [(String, Int)] in
        switch block["type"]?.stringValue {
        case "header": [(block["text"]?["text"]?.stringValue ?? "", BlockKitLimits.maxHeaderText)]
        case "section":
            [(block["text"]?["text"]?.stringValue ?? "", BlockKitLimits.maxSectionText)]
                + (block["fields"]?.arrayValue ?? []).map { ($0["text"]?.stringValue ?? "", BlockKitLimits.maxFieldText) }
        case "context": (block["elements"]?.arrayValue ?? []).map { ($0["text"]?.stringValue ?? "", BlockKitLimits.maxSectionText) }
        default: []
        }
    }
}

private func withinLimits(_ card: SlackCard) -> Bool {
    card.blocks.count <= BlockKitLimits.maxBlocks && texts(card.blocks).allSatisfy { $0.0.utf16.count <= $0.1 }
}

private func sections(_ card: SlackCard) -> [String] {
    card.blocks.filter { $0["type"]?.stringValue == "section" }.compactMap { $0["text"]?["text"]?.stringValue }
}

@Suite("digest rendering")
struct DigestRendererTests {
    static let since = utc(2026, 12, 2, 9, 5)

    @Test("no notices: nothing to post")
    func empty() {
        #expect(DigestRenderer.render([], since: Self.since) == nil)
    }

    @Test("one notice: header, since line, one linked section with its amount")
    func one() throws {
        let card = try #require(DigestRenderer.render(items(1), since: Self.since))
        #expect(card.blocks.count == 3)
        #expect(card.blocks[0]["text"]?["text"]?.stringValue == "1 notice since 2 Dec 2026 09:05 UTC")
        #expect(card.blocks[1]["type"]?.stringValue == "context")
        let section = card.blocks[2]
        #expect(section["text"]?["text"]?.stringValue
            == "*<https://fo.example.com/?cmp=usmf&amp;mi=PurchTableListPage|Purchase order PO-0 confirmed>*\nVendor *Contoso* · line 0")
        #expect(section["fields"]?.arrayValue?.first?["text"]?.stringValue == "*Amount*\n48,250.75 USD")
        #expect(card.text.hasPrefix("1 notice since 2 Dec 2026 09:05 UTC: Purchase order PO-0 confirmed"))
    }

    @Test("45 notices: a section each, no 'more'")
    func fortyFive() throws {
        let card = try #require(DigestRenderer.render(items(45), since: Self.since))
        #expect(sections(card).count == 45)
        #expect(!sections(card).contains { $0.contains("more_") })
        #expect(card.blocks.count == 47)
        #expect(withinLimits(card))
    }

    @Test("46 notices: 45 sections and '…and 1 more' naming the last")
    func fortySix() throws {
        let card = try #require(DigestRenderer.render(items(46), since: Self.since))
        let texts = sections(card)
        #expect(texts.count == 46)
        #expect(texts.last?.hasPrefix("_…and 1 more_: <https://fo.example.com") == true)
        #expect(texts.last?.contains("PO-45 confirmed") == true)
        #expect(withinLimits(card))
    }

    @Test("200 notices: one message within every limit, 45 sections and '…and 155 more'")
    func twoHundred() throws {
        let card = try #require(DigestRenderer.render(items(200), since: Self.since))
        #expect(card.blocks[0]["text"]?["text"]?.stringValue == "200 notices since 2 Dec 2026 09:05 UTC")
        let texts = sections(card)
        #expect(texts.count == 46)
        let more = try #require(texts.last)
        #expect(more.hasPrefix("_…and 155 more_: "))
        #expect(more.hasSuffix(", …"), "the names that do not fit are cut, not the links")
        #expect(more.utf16.count <= BlockKitLimits.maxSectionText)
        #expect(card.blocks.count == 48)
        #expect(withinLimits(card))
        #expect(card.text.utf16.count <= BlockKitLimits.maxSectionText)
    }

    @Test("long titles and summaries are cut, links stay whole")
    func longTexts() throws {
        let long = String(repeating: "Very long vendor name ", count: 400)
        let card = try #require(DigestRenderer.render(items(60) { _ in long }, since: Self.since))
        #expect(withinLimits(card))
        let first = try #require(sections(card).first)
        #expect(first.hasPrefix("*<https://fo.example.com/?cmp=usmf&amp;mi=PurchTableListPage|Very long vendor name"))
        #expect(first.contains("…>*"), "the title is cut inside the link")
        #expect(sections(card).allSatisfy { $0.components(separatedBy: "<").count == $0.components(separatedBy: ">").count })
    }

    @Test("amounts are exact decimals with their currency's minor unit", arguments: [
        ("12345678901234567.89", "USD", "12,345,678,901,234,567.89 USD"), ("12500", "JPY", "12,500 JPY"),
        ("-1200.5", "EUR", "-1,200.50 EUR"), ("0.125", "KWD", "0.125 KWD"),
    ])
    func amounts(amount: String, currency: String, shown: String) throws {
        let item = DigestItem(title: "Invoice posted", summary: nil, link: nil, amount: Decimal(string: amount), currency: currency)
        let card = try #require(DigestRenderer.render([item], since: Self.since))
        #expect(card.blocks[2]["fields"]?.arrayValue?.first?["text"]?.stringValue == "*Amount*\n\(shown)")
        #expect(card.blocks[2]["text"]?["text"]?.stringValue == "*Invoice posted*")
    }

    @Test("Slack-special characters in the title stay escaped and cannot mention anyone")
    func escaping() throws {
        let item = DigestItem(title: SlackText.escape("<!channel> & co"), summary: nil, link: nil, amount: nil, currency: nil)
        let card = try #require(DigestRenderer.render([item], since: Self.since))
        #expect(card.blocks[2]["text"]?["text"]?.stringValue == "*&lt;!channel&gt; &amp; co*")
        #expect(card.blocks[2]["fields"] == nil)
    }
}

@Suite("digest schedule")
struct DigestScheduleTests {
    @Test("times parse, sort and lose repeats", arguments: [
        ("09:00", ["09:00"]), ("13:00,09:00", ["09:00", "13:00"]), ("09:00, 09:00 ,00:00", ["00:00", "09:00"]), ("23:59", ["23:59"]),
    ])
    func parses(text: String, times: [String]) throws {
        #expect(try #require(DigestSchedule(parsing: text)).times == times)
    }

    @Test("malformed times are refused", arguments: ["", "9:00", "24:00", "12:60", "0900", "09:00,", "ab:cd", "09:00:00", "+9:00"])
    func refuses(text: String) {
        #expect(DigestSchedule(parsing: text) == nil)
    }

    @Test("1 to 24 times")
    func count() {
        let all = (0..<24).map { ($0 < 10 ? "0" : "") + "\($0):00" }
        #expect(DigestSchedule(parsing: all.joined(separator: ","))?.minutes.count == 24)
        #expect(DigestSchedule(parsing: (all + ["23:30"]).joined(separator: ",")) == nil)
        #expect(DigestSchedule(minutes: Array(0..<25)) == nil)
    }

    @Test("the next slot is the first time strictly after now, tomorrow's first after the last")
    func nextSlot() throws {
        let schedule = try #require(DigestSchedule(parsing: "09:00,13:00"))
        #expect(schedule.nextSlot(after: utc(2026, 12, 2, 8, 59)) == utc(2026, 12, 2, 9))
        #expect(schedule.nextSlot(after: utc(2026, 12, 2, 9)) == utc(2026, 12, 2, 13))
        #expect(schedule.nextSlot(after: utc(2026, 12, 2, 13, 1)) == utc(2026, 12, 3, 9))
        #expect(schedule.nextSlot(after: utc(2026, 12, 31, 23, 59)) == utc(2027, 1, 1, 9))
        #expect(DigestSchedule.iso(utc(2027, 1, 1, 9)) == "2027-01-01T09:00Z")
    }
}
