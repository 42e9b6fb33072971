public import Core

/// Slack's Block Kit limits for messages (reference/slack.md §6), applied to every card before it is sent so that
/// Slack never rejects one: long texts are cut with `…`, and a card with too many blocks loses its least important
/// ones and says how many are not shown.
///
/// Lengths are counted in UTF-16 code units, which is never less than Slack's count however it counts characters,
/// and cuts fall on `Character` boundaries, never inside a character or an `&amp;`-style escape.
public enum BlockKitLimits {
    public static let maxBlocks = 50
    /// A Home tab view (`views.publish`) may have twice as many.
    public static let maxHomeViewBlocks = 100
    public static let maxSectionText = 3000
    public static let maxFieldsPerSection = 10
    public static let maxFieldText = 2000
    public static let maxHeaderText = 150
    public static let maxContextElements = 10
    public static let maxActionElements = 25
    public static let maxButtonText = 75
    public static let maxBlockID = 255

    /// The blocks within every limit. Sections with more than 10 fields continue in further sections, sections and
    /// headers with nothing to show are dropped, and button texts are cut (their values are left alone); when there are
    /// more than 50 blocks, sections go first (the last ones first), then context blocks; header and actions only
    /// if nothing else is left. A context block saying `…and N more not shown` takes the place of the dropped ones.
    public static func enforce(_ blocks: [JSONValue]) -> [JSONValue] {
        let fitted = blocks.flatMap(fitted)
        return uniqueBlockIDs(fittedCount(fitted))
    }

    /// `text` cut to at most `limit` UTF-16 code units, ending in `…` when it was cut.
    public static func truncate(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        var kept = ""
        var length = 1  // the ellipsis
        for character in text {
            let width = character.utf16.count
            guard length + width <= limit else { break }
            kept.append(character)
            length += width
        }
        // Never end inside an escape such as `&amp;`: an `&` with no `;` after it starts a cut-off one.
        if let ampersand = kept.lastIndex(of: "&"), !kept[ampersand...].contains(";") {
            kept = String(kept[..<ampersand])
        }
        return kept + "…"
    }

    // MARK: One block

    /// The block with its texts cut to size; a section with too many fields becomes several sections.
    private static func fitted(_ block: JSONValue) -> [JSONValue] {
        guard var object = block.objectValue else { return [block] }
        switch object["type"]?.stringValue {
        case "header":
            guard let text = truncatedText(object["text"], to: maxHeaderText) else { return [] }
            object["text"] = text
        case "section":
            return fittedSection(object)
        case "context":
            if let elements = object["elements"]?.arrayValue {
                let kept = elements.prefix(maxContextElements)
                object["elements"] = .array(kept.map { truncatedText($0, to: maxSectionText) ?? $0 })
            }
        case "actions":
            if let elements = object["elements"]?.arrayValue {
                object["elements"] = .array(elements.prefix(maxActionElements).map(fittedButton))
            }
        default:
            break
        }
        return [.object(object)]
    }

    private static func fittedSection(_ section: JSONObject) -> [JSONValue] {
        var first = section
        first["text"] = truncatedText(section["text"], to: maxSectionText)
        let fields = (section["fields"]?.arrayValue ?? []).map { truncatedText($0, to: maxFieldText) ?? $0 }
        guard !fields.isEmpty else {
            return first["text"] == nil ? [] : [.object(first)]
        }
        var sections: [JSONValue] = []
        for start in stride(from: 0, to: fields.count, by: maxFieldsPerSection) {
            var part: JSONObject = start == 0 ? first : ["type": "section"]
            part["fields"] = .array(Array(fields[start..<min(start + maxFieldsPerSection, fields.count)]))
            sections.append(.object(part))
        }
        return sections
    }

    private static func fittedButton(_ element: JSONValue) -> JSONValue {
        guard var button = element.objectValue, button["type"]?.stringValue == "button" else { return element }
        button["text"] = truncatedText(button["text"], to: maxButtonText)
        return .object(button)
    }

    /// A text object (`{"type":…,"text":…}`) with its text cut to `limit`; nil when it has no non-empty text.
    private static func truncatedText(_ textObject: JSONValue?, to limit: Int) -> JSONValue? {
        guard var object = textObject?.objectValue, let text = object["text"]?.stringValue, !text.isEmpty else { return nil }
        object["text"] = .string(truncate(text, to: limit))
        return .object(object)
    }

    // MARK: The whole message

    private static func fittedCount(_ blocks: [JSONValue]) -> [JSONValue] {
        guard blocks.count > maxBlocks else { return blocks }
        let removals = blocks.count - (maxBlocks - 1)  // one block is kept for the "not shown" note
        var dropped = Set<Int>()
        for rank in 0...2 where dropped.count < removals {
            for index in blocks.indices.reversed() where dropped.count < removals && importance(of: blocks[index]) == rank {
                dropped.insert(index)
            }
        }
        let note: JSONValue = [
            "type": "context",
            "elements": [["type": "mrkdwn", "text": .string("_…and \(dropped.count) more not shown_")]],
        ]
        let notePosition = dropped.min()
        var kept: [JSONValue] = []
        for (index, block) in blocks.enumerated() {
            if index == notePosition { kept.append(note) }
            if !dropped.contains(index) { kept.append(block) }
        }
        return kept
    }

    /// 0: content sections and anything else, 1: context lines, 2: header and the actions people act on.
    private static func importance(of block: JSONValue) -> Int {
        switch block["type"]?.stringValue {
        case "header", "actions": 2
        case "context": 1
        default: 0
        }
    }

    /// Removes a `block_id` that repeats an earlier one (Slack requires them unique) or is too long.
    private static func uniqueBlockIDs(_ blocks: [JSONValue]) -> [JSONValue] {
        var seen = Set<String>()
        return blocks.map { block in
            guard var object = block.objectValue, let id = object["block_id"]?.stringValue else { return block }
            guard id.utf16.count > maxBlockID || !seen.insert(id).inserted else { return block }
            object["block_id"] = nil
            return .object(object)
        }
    }
}
