import Core
import Domain
import Outbound
import Interactions

/// Slack's Block Kit limits, checked the way Slack answers `invalid_blocks` for a message or modal that breaks them.
enum BlockKitLimits {
    static let maxMessageBlocks = 50
    static let maxModalBlocks = 100
    static let maxHomeBlocks = 100
    static let maxSectionText = 3000
    static let maxFields = 10
    static let maxFieldText = 2000
    static let maxHeaderText = 150
    static let maxActionElements = 25
    static let maxButtonText = 75
    static let maxButtonValue = 2000
    static let maxBlockID = 255

    /// `nil` when `blocks` is a valid block array, else the reason it is not.
    static func violation(in blocks: JSONValue, maxBlocks: Int = maxMessageBlocks) -> String? {
        guard let list = blocks.arrayValue else { return "blocks must be an array" }
        if list.count > maxBlocks { return "more than \(maxBlocks) blocks" }
        var blockIDs: Set<String> = []
        for (index, element) in list.enumerated() {
            guard let block = element.objectValue, let type = block["type"]?.stringValue else {
                return "block \(index) has no type"
            }
            if let blockID = block["block_id"]?.stringValue {
                if blockID.count > maxBlockID { return "block_id of block \(index) is too long" }
                if !blockIDs.insert(blockID).inserted { return "block_id '\(blockID)' is not unique" }
            }
            if let reason = violation(inBlock: block, type: type) { return "block \(index) (\(type)): \(reason)" }
        }
        return nil
    }

    private static func violation(inBlock block: JSONObject, type: String) -> String? {
        switch type {
        case "section":
            if let text = block["text"], (textLength(text) ?? 0) > maxSectionText { return "text longer than \(maxSectionText)" }
            if let fields = block["fields"] {
                guard let list = fields.arrayValue else { return "fields must be an array" }
                if list.count > maxFields { return "more than \(maxFields) fields" }
                if list.contains(where: { (textLength($0) ?? 0) > maxFieldText }) { return "a field longer than \(maxFieldText)" }
            }
            if let accessory = block["accessory"]?.objectValue { return violation(inElement: accessory) }
        case "header":
            guard let text = block["text"]?.objectValue, text["type"]?.stringValue == "plain_text",
                  let length = textLength(.object(text)) else { return "header text must be plain_text" }
            if length > maxHeaderText { return "header text longer than \(maxHeaderText)" }
        case "actions":
            guard let elements = block["elements"]?.arrayValue else { return "actions need elements" }
            if elements.count > maxActionElements { return "more than \(maxActionElements) elements" }
            for element in elements {
                guard let object = element.objectValue else { return "an element is not an object" }
                if let reason = violation(inElement: object) { return reason }
            }
        default:
            break
        }
        return nil
    }

    private static func violation(inElement element: JSONObject) -> String? {
        guard element["type"]?.stringValue == "button" else { return nil }
        guard let text = element["text"]?.objectValue, text["type"]?.stringValue == "plain_text",
              let length = textLength(.object(text)) else { return "button text must be plain_text" }
        if length > maxButtonText { return "button text longer than \(maxButtonText)" }
        if let value = element["value"]?.stringValue, value.count > maxButtonValue { return "button value longer than \(maxButtonValue)" }
        return nil
    }

    /// The length of a text object's `text`, in characters.
    private static func textLength(_ value: JSONValue) -> Int? {
        value.objectValue?["text"]?.stringValue?.count
    }
}
