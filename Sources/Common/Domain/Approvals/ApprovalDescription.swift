public import FoundationEssentials
public import Core

/// What an approval is about, in the words of its card when it was made: the subject (the card's title), the
/// amount with its currency, and F&O's due date for the work item. Kept on the approval so that the App Home lists
/// a person's approvals from ml-connector's own records, without reading F&O.
public struct ApprovalDescription: Sendable, Equatable {
    public var subject: String?
    public var amount: Decimal?
    public var currency: String?
    /// The work item's `DueDateTime`; nil when F&O has none (its "no date" and "never" placeholders included).
    public var due: FOTimestamp?

    public init(subject: String? = nil, amount: Decimal? = nil, currency: String? = nil, due: FOTimestamp? = nil) {
        self.subject = subject
        self.amount = amount
        self.currency = currency
        self.due = due
    }
}
