import FoundationEssentials
public import Core

/// The App Home tab "My approvals" (`views.publish`, `{"type":"home","blocks":[…]}`): the person's open approvals
/// (`ApprovalState.isOutstanding`) from ml-connector's own records, newest first — each its subject linked to its
/// card, the amount and F&O's due date, and where a decision already taken stands — then how many more there are
/// when they do not all fit, or an empty state. Pure; Block Kit's limits hold by construction (at most
/// `BlockKitLimits.maxHomeViewBlocks` blocks, texts cut to their limits).
public enum HomeView {
    /// Approvals listed at most: two blocks each, with the header, the count and the "more" line well under the
    /// 100 blocks of a Home view.
    public static let listed = 30
    /// Longest subject shown.
    static let maxSubject = 300

    /// The view for `approvals` (the newest `listed` of `total`).
    public static func view(approvals: [ApprovalRecord], total: Int) -> JSONValue {
        var blocks: [JSONValue] = [["type": "header", "text": ["type": "plain_text", "text": "My approvals"]]]
        let shown = approvals.prefix(listed)
        if shown.isEmpty {
            blocks.append(section("Nothing is waiting for your approval. New approvals from Dynamics 365 appear here and as "
                                  + "cards in your messages with ml-connector."))
        } else {
            blocks.append(context(total == 1 ? "1 open approval, from Dynamics 365" : "\(total) open approvals, newest first, from Dynamics 365"))
            for approval in shown {
                blocks.append(section(line(for: approval)))
                blocks.append(["type": "divider"])
            }
            let more = max(total - shown.count, 0)
            if more > 0 { blocks.append(context("…and \(more) more, older ones not shown here: they are in your messages with ml-connector.")) }
        }
        precondition(blocks.count <= BlockKitLimits.maxHomeViewBlocks)
        return ["type": "home", "blocks": .array(blocks)]
    }

    /// `*<permalink|Subject>*` / `12,500.00 USD · due 1 Dec 2025` / where a decision stands, mrkdwn.
    public static func line(for approval: ApprovalRecord) -> String {
        let about = approval.about
        let subject = SlackText.escape(BlockKitLimits.truncate(about.subject ?? (approval.summary.isEmpty ? "Work item \(approval.workItemID)" : approval.summary),
                                                               to: maxSubject))
        var text = approval.permalink.map { "*<\(SlackText.escape($0).replacing("|", with: "%7C"))|\(subject)>*" } ?? "*\(subject)*"
        let facts = [about.amount.flatMap { MoneyFormatter.format($0.description, currency: about.currency) }.map(SlackText.escape),
                     about.due.flatMap(DateDisplay.format).map { "due \($0)" }].compactMap { $0 }
        if !facts.isEmpty { text += "\n" + facts.joined(separator: " · ") }
        let noun = approval.decision?.noun ?? "decision"
        switch approval.state {
        case .deciding, .completing: text += "\n_Recording your \(noun)…_"
        case .unconfirmed: text += "\n_Your \(noun) was sent to Dynamics 365, not yet confirmed._"
        default: break
        }
        return BlockKitLimits.truncate(text, to: BlockKitLimits.maxSectionText)
    }

    private static func section(_ text: String) -> JSONValue {
        ["type": "section", "text": ["type": "mrkdwn", "text": .string(text)]]
    }

    private static func context(_ text: String) -> JSONValue {
        ["type": "context", "elements": [["type": "mrkdwn", "text": .string(text)]]]
    }
}
