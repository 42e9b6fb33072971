public import FoundationEssentials

/// One notice as its digest shows it: a section with the document's title (linked to its F&O form) and key figures.
/// Texts are mrkdwn, already escaped (`CardRenderer.digestItem`).
public struct DigestItem: Sendable, Equatable {
    public let title: String
    public let summary: String?
    public let link: String?
    public let amount: Decimal?
    public let currency: String?

    public init(title: String, summary: String?, link: String?, amount: Decimal?, currency: String?) {
        self.title = title
        self.summary = summary
        self.link = link
        self.amount = amount
        self.currency = currency
    }
}
