import Core
import Domain
import Foundation
import Testing

/// The App Home "My approvals" view (`HomeView`): what each approval shows, the empty state, and the list cut to
/// fit Block Kit's Home view limits with how many more there are.
@Suite struct HomeViewTests {
    static func approval(_ id: Int64, state: ApprovalState = .pending, subject: String? = "Vendor invoice USMF-VI-000418 needs approval",
                         permalink: String? = "https://contoso.slack.com/archives/D04ALICIADM/p1764421200000100") -> ApprovalRecord {
        ApprovalRecord(id: id, reference: "ref\(id)", connectionID: 1, workItemID: "w\(id)", approverSlackID: "U04ALICIA",
                       state: state, decision: state == .pending ? nil : .approve, summary: "the card's text",
                       about: ApprovalDescription(subject: subject, amount: Decimal(string: "12500.00"), currency: "USD",
                                                  due: FOTimestamp("2025-12-01T13:00:00Z")),
                       permalink: permalink)
    }

    static func texts(_ view: JSONValue) -> [String] {
        (view["blocks"]?.arrayValue ?? []).compactMap { block in
            block["text"]?["text"]?.stringValue ?? block["elements"]?.arrayValue?.first?["text"]?.stringValue
        }
    }

    @Test func listsSubjectLinkedToTheCardAmountAndDueDate() {
        let view = HomeView.view(approvals: [Self.approval(2), Self.approval(1, state: .deciding, permalink: nil)], total: 2)
        #expect(view["type"] == "home")
        #expect(Self.texts(view) == [
            "My approvals",
            "2 open approvals, newest first, from Dynamics 365",
            "*<https://contoso.slack.com/archives/D04ALICIADM/p1764421200000100|Vendor invoice USMF-VI-000418 needs approval>*"
                + "\n12,500.00 USD · due 1 Dec 2025",
            "*Vendor invoice USMF-VI-000418 needs approval*\n12,500.00 USD · due 1 Dec 2025\n_Recording your approval…_",
        ])
    }

    @Test func escapesWhatCameFromDynamicsAndFallsBackToTheCardText() {
        let line = HomeView.line(for: Self.approval(1, subject: "<!channel> & co", permalink: nil))
        #expect(line.hasPrefix("*&lt;!channel&gt; &amp; co*"))
        #expect(HomeView.line(for: Self.approval(1, subject: nil, permalink: nil)).hasPrefix("*the card's text*"))
    }

    @Test func emptyState() {
        let texts = Self.texts(HomeView.view(approvals: [], total: 0))
        #expect(texts.count == 2)
        #expect(texts.last?.hasPrefix("Nothing is waiting for your approval.") == true)
    }

    @Test func theNewestFitAndTheRestAreCounted() {
        let approvals = (1...Int64(HomeView.listed + 5)).reversed().map { Self.approval($0) }
        let view = HomeView.view(approvals: approvals, total: 250)
        let blocks = view["blocks"]?.arrayValue ?? []
        #expect(blocks.count <= BlockKitLimits.maxHomeViewBlocks)
        #expect(blocks.filter { $0["type"] == "divider" }.count == HomeView.listed)
        #expect(Self.texts(view).last == "…and \(250 - HomeView.listed) more, older ones not shown here: they are in your messages with ml-connector.")
        for text in Self.texts(view) { #expect(text.utf16.count <= BlockKitLimits.maxSectionText) }
    }
}
