import Core

/// Renders a catalog entry's card for one event, and the later states of an approval card.
///
/// Layout: header (the entry's title), the note, the summary, the fields, the line list, the attachments (names and
/// types, linked to the document's F&O form: the file itself never comes to Slack), a link to F&O, and the
/// decision buttons (Approve, Reject, and Request change / Delegate where the catalog offers them) when `approval`
/// is given. Every value from F&O is escaped for Slack; the catalog's own
/// literal text is kept as written (it may use mrkdwn). Block Kit limits are enforced on every card returned.
public struct CardRenderer: Sendable {
    /// The click handler relies on these.
    public static let decisionBlockID = "mlc.decision"
    /// The block saying who decided, or that the work item was completed in F&O.
    public static let statusBlockID = "mlc.status"

    /// Longest single line-list item, so one long description cannot crowd out the others.
    private static let maxLineItem = 500
    /// Room kept in a line list's section for `and N more`.
    private static let moreReserve = 40

    private let dynamicsURL: String?
    let dimensionFormat: DimensionFormat?

    /// `dynamicsURL` is the environment's base URL (for the link; none without it), `dimensionFormat` the active
    /// default dimension format (display values are shown as they are without it).
    public init(dynamicsURL: String?, dimensionFormat: DimensionFormat?) {
        self.dynamicsURL = dynamicsURL
        self.dimensionFormat = dimensionFormat
    }

    /// The card for `entry` with the values in `context`. `note` is an extra context line, plain text (escaped),
    /// e.g. why the card went to a fallback channel.
    public func render(_ entry: CatalogEntry, context: TemplateContext, approval: ApprovalButtons? = nil,
                       note: String? = nil) -> SlackCard {
        var context = context
        context.dimensionFormat = dimensionFormat
        let title = entry.title.render(in: context, escaped: true) ?? SlackText.escape(entry.id)
        var blocks: [JSONValue] = [["type": "header", "text": ["type": "plain_text", "text": .string(title)]]]
        if let note = note?.trimmingCharacters(), !note.isEmpty {
            blocks.append(Self.context(SlackText.escape(note)))
        }
        if let summary = entry.card.summary?.render(in: context, escaped: true) {
            blocks.append(Self.section(summary))
        }
        let fields = entry.card.fields.compactMap { field in
            field.value.render(in: context, escaped: true).map { "*\(SlackText.escape(field.label))*\n\($0)" }
        }
        if !fields.isEmpty {
            // BlockKitLimits continues a section with more than ten fields in the next one.
            blocks.append(["type": "section", "fields": .array(fields.map(Self.mrkdwn))])
        }
        if let list = entry.card.lines, let text = lineList(list, in: context) {
            blocks.append(Self.section(text))
        }
        let formURL = url(legalEntity: context.legalEntity, menuItem: entry.menuItem)
        if let list = entry.card.attachments,
           let text = lineList(list, in: context, titleLink: formURL.map { Self.mrkdwnLink($0, "open them in Dynamics 365") }) {
            blocks.append(Self.section(text))
        }
        if let link = formURL.map({ Self.mrkdwnLink($0, "Open in Dynamics 365") }) {
            blocks.append(Self.context(link))
        }
        if let approval {
            blocks.append([
                "type": "actions",
                "block_id": .string(Self.decisionBlockID),
                "elements": .array(approval.decisions.map { decision in
                    Self.button(decision.label, actionID: ApprovalButtons.actionID(for: decision),
                                style: decision == .approve ? "primary" : decision == .reject ? "danger" : nil, value: approval.reference)
                }),
            ])
        }
        let text = entry.card.text?.render(in: context, escaped: true) ?? title
        return SlackCard(blocks: BlockKitLimits.enforce(blocks), text: text)
    }

    /// The card as it reads in the approval's current state, drawn over the card as posted: the buttons while it
    /// is pending, otherwise a status line where they were — recording, approved/rejected by whom and when (with
    /// the reason), sent but not yet confirmed, completed or delegated in Dynamics 365, or refused with F&O's words.
    public func current(_ posted: SlackCard, for approval: ApprovalRecord) -> SlackCard {
        let user = approval.decidedBy.map { "<@\(SlackText.escape($0))>" } ?? "the approver"
        let noun = approval.decision?.noun ?? "decision"
        let note = approval.note.map { SlackText.escape($0) }
        switch approval.state {
        case .pending:
            // Open again after a decision that could not be sent as asked (a delegate without an F&O user): why, above the buttons.
            guard let note else { return posted }
            return open(posted, status: note)
        case .deciding, .completing:
            let to = approval.decision == .delegate ? approval.delegateSlackID.map { " to <@\(SlackText.escape($0))>" } ?? "" : ""
            return settled(posted, status: "Recording \(noun)\(to) by \(user)…")
        case .approved, .rejected, .changeRequested:
            let verb = switch approval.state {
            case .approved: "Approved"
            case .rejected: "Rejected"
            default: "Change requested"
            }
            var status = "\(verb) by \(user)" + (approval.decidedAt.map { " at \(SlackText.escape($0))" } ?? "")
            if let reason = approval.reason?.trimmingCharacters(), !reason.isEmpty {
                status += "\n\(approval.state == .changeRequested ? "Change asked for" : "Reason"): \(SlackText.escape(reason))"
            }
            return settled(posted, status: status)
        case .delegated where approval.decision == .delegate:
            let to = approval.delegateSlackID.map { "<@\(SlackText.escape($0))>" } ?? approval.delegateUser.map(SlackText.escape) ?? "the delegate"
            var status = "Delegated to \(to) by \(user)" + (approval.decidedAt.map { " at \(SlackText.escape($0))" } ?? "")
                + "; the work item is theirs in Dynamics 365 now."
            if let reason = approval.reason?.trimmingCharacters(), !reason.isEmpty { status += "\nComment: \(SlackText.escape(reason))" }
            return settled(posted, status: status)
        case .unconfirmed:
            return settled(posted, status: "Sent to Dynamics 365; not yet confirmed (\(noun) by \(user)). ml-connector keeps checking.")
        case .decidedInDynamics:
            return settled(posted, status: "Completed in Dynamics 365" + (note.map { " (\($0))" } ?? "") + "; nothing more to decide here.")
        case .delegated:
            return settled(posted, status: "Delegated or reassigned in Dynamics 365" + (note.map { " (\($0))" } ?? "")
                           + "; this card is closed.")
        case .failed:
            return settled(posted, status: "Dynamics 365 did not record the \(noun) by \(user)" + (note.map { ": \($0)" } ?? "."))
        }
    }

    // MARK: Parts

    /// One bullet per row that has a value, at most `limit` and as many as fit in a section, then `and N more`;
    /// `titleLink` (mrkdwn) follows the title.
    private func lineList(_ list: CardTemplate.LineList, in context: TemplateContext, titleLink: String? = nil) -> String? {
        guard let rows = list.rows.value(in: context)?.arrayValue else { return nil }
        var rowContext = context
        var items: [String] = []
        for row in rows {
            rowContext[result: "line"] = row
            if let item = list.item.render(in: rowContext, escaped: true) {
                items.append(BlockKitLimits.truncate(item, to: Self.maxLineItem))
            }
        }
        guard !items.isEmpty else { return nil }
        var text = [list.title.map { "*\(SlackText.escape($0))*" }, titleLink].compactMap { $0 }.joined(separator: " · ")
        var shown = 0
        for item in items.prefix(list.limit) {
            let line = (text.isEmpty ? "" : "\n") + "• " + item
            guard text.utf16.count + line.utf16.count + Self.moreReserve <= BlockKitLimits.maxSectionText else { break }
            text += line
            shown += 1
        }
        if shown < items.count { text += "\n_and \(items.count - shown) more_" }
        return text
    }

    /// `{dynamics-url}/?cmp=usmf&mi=PurchTableListPage`: the F&O form of the menu item in the legal entity.
    func url(legalEntity: String, menuItem: String?) -> String? {
        guard var base = dynamicsURL?.trimmingCharacters(), base.hasPrefix("https://") || base.hasPrefix("http://") else {
            return nil
        }
        while base.hasSuffix("/") { base.removeLast() }
        var query: [String] = []
        if !legalEntity.isEmpty { query.append("cmp=" + FormURLEncoding.percentEncode(legalEntity)) }
        if let menuItem { query.append("mi=" + FormURLEncoding.percentEncode(menuItem)) }
        return base + "/" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// `<url|label>`, escaped for mrkdwn.
    private static func mrkdwnLink(_ url: String, _ label: String) -> String {
        "<\(SlackText.escape(url).replacing("|", with: "%7C"))|\(label)>"
    }

    /// The buttons kept and `status` shown above them (replacing an earlier status).
    private func open(_ card: SlackCard, status: String) -> SlackCard {
        var blocks = card.blocks.filter { $0["block_id"]?.stringValue != Self.statusBlockID }
        let statusBlock: JSONValue = ["type": "section", "block_id": .string(Self.statusBlockID), "text": Self.mrkdwn(status)]
        blocks.insert(statusBlock, at: blocks.firstIndex { $0["block_id"]?.stringValue == Self.decisionBlockID } ?? blocks.endIndex)
        return SlackCard(blocks: BlockKitLimits.enforce(blocks), text: card.text)
    }

    /// The buttons removed and `status` shown where they were (replacing an earlier status); the fallback text
    /// starts with the status.
    private func settled(_ card: SlackCard, status: String) -> SlackCard {
        func isDecisionOrStatus(_ block: JSONValue) -> Bool {
            let id = block["block_id"]?.stringValue
            return id == Self.decisionBlockID || id == Self.statusBlockID
        }
        var blocks = card.blocks
        let previousStatus = blocks.first { $0["block_id"]?.stringValue == Self.statusBlockID }?["text"]?["text"]?.stringValue
        let position = blocks.firstIndex(where: isDecisionOrStatus) ?? blocks.endIndex
        blocks.removeAll(where: isDecisionOrStatus)
        let statusBlock: JSONValue = ["type": "section", "block_id": .string(Self.statusBlockID), "text": Self.mrkdwn(status)]
        blocks.insert(statusBlock, at: min(position, blocks.count))
        var text = card.text
        if let previousStatus, text.hasPrefix(previousStatus + "\n") { text.removeFirst(previousStatus.count + 1) }
        return SlackCard(blocks: BlockKitLimits.enforce(blocks), text: status + "\n" + text)
    }

    private static func mrkdwn(_ text: String) -> JSONValue {
        ["type": "mrkdwn", "text": .string(text)]
    }

    private static func section(_ text: String) -> JSONValue {
        ["type": "section", "text": mrkdwn(text)]
    }

    private static func context(_ text: String) -> JSONValue {
        ["type": "context", "elements": [mrkdwn(text)]]
    }

    private static func button(_ label: String, actionID: String, style: String?, value: String) -> JSONValue {
        var button: JSONObject = [
            "type": "button",
            "action_id": .string(actionID),
            "text": ["type": "plain_text", "text": .string(label)],
            "value": .string(value),
        ]
        if let style { button["style"] = .string(style) }
        return .object(button)
    }
}
