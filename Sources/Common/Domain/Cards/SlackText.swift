import Core

/// Slack's escaping for text that came from somewhere else (F&O data, user input): `&`, `<` and `>` are control
/// characters in mrkdwn and in a message's `text`, so a vendor named `<!channel>` would otherwise mention everyone
/// (reference/slack.md §6). Only these three characters are encoded.
public enum SlackText {
    public static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
