public import Core

/// A rendered Slack message: Block Kit blocks plus the plain-text fallback Slack shows in notifications and to
/// screen readers (DESIGN.md §7: every message has both).
public struct SlackCard: Sendable, Equatable {
    public var blocks: [JSONValue]
    /// Never empty.
    public var text: String

    static let defaultText = "Dynamics 365 update"

    public init(blocks: [JSONValue], text: String) {
        self.blocks = blocks
        self.text = text.trimmingCharacters().isEmpty ? Self.defaultText : text
    }

    /// A card from a stored message body (`{"text":…,"blocks":[…]}`); nil when it is not one.
    public init?(json: JSONValue) {
        guard let blocks = json["blocks"]?.arrayValue, let text = json["text"]?.stringValue else { return nil }
        self.init(blocks: blocks, text: text)
    }

    /// `{"text":…,"blocks":[…]}`, to merge with `channel` (and `ts` for `chat.update`).
    public var json: JSONValue {
        ["text": .string(text), "blocks": .array(blocks)]
    }
}
