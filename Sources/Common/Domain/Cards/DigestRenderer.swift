public import Core
import FoundationEssentials

/// Renders a digest: the notices a route collected for one channel since its last digest, in one message.
///
/// Layout: header (`<n> notices since <time>`), a context line, one section per document (its title linked to F&O,
/// the summary, the amount), at most `maxSections` of them, then one section `…and M more` naming the rest as far as
/// they fit. That is at most 48 blocks, and every text is within `BlockKitLimits`, which is enforced on the result.
public enum DigestRenderer {
    public static let maxSections = 45
    /// Longest summary in a section, so that one notice cannot crowd the message.
    private static let maxSummary = 1_000
    private static let day: Int64 = 86_400

    /// The digest of `items` (oldest first) collected since `since` (Unix seconds); nil when there are none: an empty
    /// digest posts nothing.
    public static func render(_ items: [DigestItem], since: Int64) -> SlackCard? {
        guard !items.isEmpty else { return nil }
        let noun = items.count == 1 ? "notice" : "notices"
        let sinceText = time(since)
        let heading = "\(items.count) \(noun) since \(sinceText)"
        var blocks: [JSONValue] = [
            ["type": "header", "text": ["type": "plain_text", "text": .string(heading)]],
            ["type": "context", "elements": [mrkdwn("Digest of the \(noun) from Dynamics 365 since \(sinceText)")]],
        ]
        blocks += items.prefix(maxSections).map(section)
        let rest = items.dropFirst(maxSections)
        if !rest.isEmpty {
            blocks.append(["type": "section", "text": mrkdwn(more(Array(rest)))])
        }
        let text = BlockKitLimits.truncate(heading + ": " + items.map(\.title).joined(separator: ", "), to: BlockKitLimits.maxSectionText)
        return SlackCard(blocks: BlockKitLimits.enforce(blocks), text: text)
    }

    /// `2 Dec 2026 09:00 UTC`.
    static func time(_ seconds: Int64) -> String {
        let date = DateDisplay.format(FOTimestamp(microseconds: seconds * 1_000_000)) ?? ""
        let minute = Int(((seconds % day) + day) % day / 60)
        return "\(date) \(minute / 60 < 10 ? "0" : "")\(minute / 60):\(minute % 60 < 10 ? "0" : "")\(minute % 60) UTC"
    }

    private static func section(_ item: DigestItem) -> JSONValue {
        var text = "*" + linked(item) + "*"
        if let summary = item.summary?.trimmingCharacters(), !summary.isEmpty {
            text += "\n" + BlockKitLimits.truncate(summary, to: maxSummary)
        }
        var section: JSONObject = ["type": "section", "text": mrkdwn(text)]
        if let amount = item.amount, let money = MoneyFormatter.format(amount.description, currency: item.currency) {
            section["fields"] = [mrkdwn("*Amount*\n" + SlackText.escape(money))]
        }
        return .object(section)
    }

    /// The title, linked when there is a link. A long title is cut before it is linked, so the link stays whole.
    private static func linked(_ item: DigestItem) -> String {
        let title = BlockKitLimits.truncate(item.title, to: BlockKitLimits.maxHeaderText)
        guard let link = item.link else { return title }
        return "<\(SlackText.escape(link).replacing("|", with: "%7C"))|\(title)>"
    }

    /// `…and M more: <title>, <title>, …`, as many titles as fit in one section.
    private static func more(_ rest: [DigestItem]) -> String {
        var text = "_…and \(rest.count) more_"
        var separator = ": "
        for (index, item) in rest.enumerated() {
            let piece = separator + linked(item)
            let ending = index == rest.count - 1 ? 0 : 3  // room for ", …"
            guard text.utf16.count + piece.utf16.count + ending <= BlockKitLimits.maxSectionText else {
                text += separator + "…"
                break
            }
            text += piece
            separator = ", "
        }
        return text
    }

    private static func mrkdwn(_ text: String) -> JSONValue {
        ["type": "mrkdwn", "text": .string(text)]
    }
}
