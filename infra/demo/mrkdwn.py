"""Slack's mrkdwn, read the way Slack shows it: shared by story.py (plain text) and render-card.py (HTML).

tokens(text) splits a mrkdwn string into (kind, value, extra) tuples, with Slack's escapes (&amp; &lt; &gt;) undone:
  ("text", s, None)  ("bold", s, None)  ("italic", s, None)  ("strike", s, None)  ("code", s, None)
  ("link", label, url)  ("boldlink", label, url)  ("mention", user_id, None)  ("newline", "\\n", None)
"""
import re

_TOKEN = re.compile(r"(?<![\w*])\*<(?P<btarget>[^>|@!][^>|]*)\|(?P<blabel>[^>]*)>\*(?![\w*])"
                    r"|<(?P<target>[^>|]+)(?:\|(?P<label>[^>]*))?>"
                    r"|(?<![\w*])\*(?P<bold>[^*\n]+)\*(?![\w*])"
                    r"|(?<![\w_])_(?P<italic>[^_\n]+)_(?![\w_])"
                    r"|(?<![\w~])~(?P<strike>[^~\n]+)~(?![\w~])"
                    r"|`(?P<code>[^`\n]+)`"
                    r"|(?P<newline>\n)")


def unescape(text):
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def tokens(text):
    out, at = [], 0
    for m in _TOKEN.finditer(text):
        if m.start() > at:
            out.append(("text", unescape(text[at:m.start()]), None))
        at = m.end()
        if m.group("btarget") is not None:
            out.append(("boldlink", unescape(m.group("blabel")), unescape(m.group("btarget"))))
        elif m.group("target") is not None:
            target = unescape(m.group("target"))
            if target.startswith("@"):
                out.append(("mention", target[1:], None))
            elif target.startswith("!"):
                out.append(("text", "@" + target[1:].split("^")[0], None))
            else:
                label = unescape(m.group("label")) if m.group("label") else target
                out.append(("link", label, target))
        elif m.group("newline") is not None:
            out.append(("newline", "\n", None))
        else:
            kind = next(k for k in ("bold", "italic", "strike", "code") if m.group(k) is not None)
            out.append((kind, unescape(m.group(kind)), None))
    if at < len(text):
        out.append(("text", unescape(text[at:]), None))
    return out


def plain(text, names=None, links=True):
    """The mrkdwn as a person reads it, without formatting: links as `label <url>` (only the label when links is
    False), mentions as @name (names: user id → display name)."""
    names = names or {}
    parts = []
    for kind, value, extra in tokens(text):
        if kind in ("link", "boldlink"):
            parts.append(value if not links or value == extra else f"{value} <{extra}>")
        elif kind == "mention":
            parts.append("@" + names.get(value, value))
        else:
            parts.append(value)
    return "".join(parts)


def element_text(element):
    """The text of a Block Kit text object (plain_text or mrkdwn); '' for anything else."""
    if isinstance(element, dict) and element.get("type") in ("plain_text", "mrkdwn"):
        return element.get("text", "")
    return ""
