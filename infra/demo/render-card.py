#!/usr/bin/env python3
"""Draws a Slack message as Slack shows it: the recorded Block Kit of a message (an entry of the sandbox's
GET /_sandbox/messages, as story.py `message` prints it) to HTML styled like Slack's message pane (Lato, the app's
avatar and name, bold header, fields in two columns, green Approve, red-outlined Reject, plain Request change and Delegate, grey context lines),
then to a PNG with headless Chromium (Debian's `chromium`, fonts from `fonts-lato`). Python 3 standard library only.
  render-card.py MESSAGE.json OUT.png [--html OUT.html]
  render-card.py --home VIEW.json OUT.png     the App Home tab (a views.publish view, story.py `home USER json`)
User names for @mentions: MLC_DEMO_USERS=ID=Name,… (see story.py). The picture is 720 CSS pixels wide at 2x,
exactly as tall as the message (a first Chromium run measures it).
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import mrkdwn

WIDTH = 720
SCALE = 2
APP_NAME = "ml-connector"

STYLE = """
* { box-sizing: border-box; }
html, body { margin: 0; background: #fff; }
body { font-family: Lato, 'Helvetica Neue', Arial, sans-serif; font-size: 15px; line-height: 1.46668; color: #1d1c1d;
       -webkit-font-smoothing: antialiased; }
#message { display: flex; padding: 12px 20px 18px 20px; width: 720px; }
.avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; margin: 4px 8px 0 0;
          background: linear-gradient(135deg, #2b6cb0 0%, #4a2ea8 100%); color: #fff; font-weight: 900; font-size: 14px;
          display: flex; align-items: center; justify-content: center; letter-spacing: -0.5px; }
.content { flex: 1; min-width: 0; }
.meta { line-height: 22px; }
.name { font-weight: 900; }
.badge { display: inline-block; margin: 0 4px; padding: 0 3px; border-radius: 2px; background: rgba(29,28,29,.13);
         color: rgba(29,28,29,.7); font-size: 10px; font-weight: 700; line-height: 16px; vertical-align: 1px; }
.time { color: #616061; font-size: 12px; }
.block { margin-top: 4px; }
.header { font-size: 18px; font-weight: 900; line-height: 1.33; margin-top: 6px; }
.section { white-space: normal; }
.fields { display: grid; grid-template-columns: 1fr 1fr; column-gap: 16px; row-gap: 8px; margin-top: 8px; max-width: 600px; }
.field { min-width: 0; overflow-wrap: anywhere; }
.context { color: #616061; font-size: 12px; line-height: 1.5; margin-top: 6px; }
.actions { display: flex; gap: 8px; margin-top: 10px; }
.button { height: 28px; padding: 0 12px; border-radius: 4px; font-size: 13px; font-weight: 700; display: inline-flex;
          align-items: center; border: 1px solid rgba(29,28,29,.3); background: #fff; color: #1d1c1d; }
.button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.button.danger { background: #fff; border-color: #e01e5a; color: #e01e5a; }
a { color: #1264a3; text-decoration: none; }
#home { width: 720px; }
.apphead { display: flex; align-items: center; gap: 10px; padding: 14px 20px 0 20px; }
.apphead .avatar { margin: 0; }
.tabs { display: flex; gap: 22px; padding: 10px 20px 0 66px; border-bottom: 1px solid rgba(29,28,29,.13); font-size: 14px; }
.tab { padding-bottom: 8px; color: #616061; }
.tab.on { color: #1d1c1d; font-weight: 700; border-bottom: 2px solid #1264a3; }
.homebody { padding: 8px 20px 20px 20px; }
.mention { color: #1264a3; background: rgba(29,155,209,.1); border-radius: 3px; padding: 0 2px; }
code { font-family: Monaco, Menlo, Consolas, monospace; font-size: 12px; color: #e01e5a; background: rgba(29,28,29,.04);
       border: 1px solid rgba(29,28,29,.13); border-radius: 3px; padding: 2px 3px 1px; }
"""


def rich(text, names):
    """mrkdwn → HTML."""
    out = []
    for kind, value, extra in mrkdwn.tokens(text):
        v = html.escape(value)
        out.append({
            "text": v, "newline": "<br>", "bold": f"<b>{v}</b>", "italic": f"<i>{v}</i>", "strike": f"<s>{v}</s>",
            "code": f"<code>{v}</code>",
            "link": f'<a href="{html.escape(extra or "")}">{v}</a>',
            "boldlink": f'<b><a href="{html.escape(extra or "")}">{v}</a></b>',
            "mention": f'<span class="mention">@{html.escape(names.get(value, value))}</span>',
        }[kind])
    return "".join(out)


def text_object(element, names):
    if not isinstance(element, dict):
        return ""
    if element.get("type") == "plain_text":
        return html.escape(element.get("text", "")).replace("\n", "<br>")
    return rich(element.get("text", ""), names)


def block_html(block, names):
    kind = block.get("type")
    if kind == "header":
        return f'<div class="block header">{text_object(block.get("text"), names)}</div>'
    if kind == "section":
        parts = []
        if block.get("text"):
            parts.append(f'<div class="block section">{text_object(block["text"], names)}</div>')
        if block.get("fields"):
            fields = "".join(f'<div class="field">{text_object(f, names)}</div>' for f in block["fields"])
            parts.append(f'<div class="fields">{fields}</div>')
        return "".join(parts)
    if kind == "context":
        return '<div class="block context">' + " ".join(text_object(e, names) for e in block.get("elements") or []) + "</div>"
    if kind == "actions":
        buttons = "".join(f'<span class="button {html.escape(e.get("style", ""))}">{text_object(e.get("text"), names)}</span>'
                          for e in block.get("elements") or [] if e.get("type") == "button")
        return f'<div class="actions">{buttons}</div>'
    if kind == "divider":
        return '<hr style="border: none; border-top: 1px solid rgba(29,28,29,.13)">'
    return ""


def page(message, names):
    ts = float(message.get("ts") or time.time())
    clock = time.strftime("%I:%M %p", time.gmtime(ts)).lstrip("0")
    blocks = "".join(block_html(b, names) for b in message.get("blocks") or []) \
        or f'<div class="block section">{rich(message.get("text") or "", names)}</div>'
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>{STYLE}</style></head><body>
<div id="message"><div class="avatar">ML</div><div class="content">
<div class="meta"><span class="name">{APP_NAME}</span><span class="badge">APP</span><span class="time">{clock}</span></div>
{blocks}</div></div>
<script>document.body.setAttribute("data-height", Math.ceil(document.getElementById("message").getBoundingClientRect().bottom));</script>
</body></html>"""


def home_page(view, names):
    blocks = "".join(block_html(b, names) for b in view.get("blocks") or [])
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>{STYLE}</style></head><body>
<div id="home"><div class="apphead"><div class="avatar">ML</div><span class="name">{APP_NAME}</span></div>
<div class="tabs"><span class="tab on">Home</span><span class="tab">Messages</span><span class="tab">About</span></div>
<div class="homebody">{blocks}</div></div>
<script>document.body.setAttribute("data-height", Math.ceil(document.getElementById("home").getBoundingClientRect().bottom));</script>
</body></html>"""


def chromium(*args, profile):
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        sys.exit("render-card.py: chromium is not installed (apt-get install chromium fonts-lato)")
    command = [binary, "--headless", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--mute-audio",
               "--run-all-compositor-stages-before-draw",
               f"--user-data-dir={profile}", *args]
    if os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        sys.exit(f"render-card.py: chromium failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.stdout


def main(argv):
    home = "--home" in argv
    argv = [a for a in argv if a != "--home"]
    if len(argv) < 3:
        sys.exit("usage: render-card.py [--home] MESSAGE.json OUT.png [--html OUT.html]")
    message = json.load(open(argv[1]))
    names = dict(p.split("=", 1) for p in os.environ.get("MLC_DEMO_USERS", "").split(",") if "=" in p)
    document = home_page(message, names) if home else page(message, names)
    with tempfile.TemporaryDirectory(prefix="mlc-card.") as scratch:
        source = os.path.join(scratch, "card.html")
        with open(source, "w") as f:
            f.write(document)
        if "--html" in argv:
            shutil.copy(source, argv[argv.index("--html") + 1])
        url = "file://" + source
        dom = chromium(f"--window-size={WIDTH},2000", "--virtual-time-budget=2000", "--dump-dom", url, profile=scratch + "/profile")
        found = re.search(r'data-height="(\d+)"', dom)
        if not found:
            sys.exit("render-card.py: chromium did not lay the page out")
        height = int(found.group(1))
        out = os.path.abspath(argv[2])
        chromium(f"--window-size={WIDTH},{height}", f"--force-device-scale-factor={SCALE}", "--virtual-time-budget=2000",
                 f"--screenshot={out}", url, profile=scratch + "/profile")
    with open(out, "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            sys.exit(f"render-card.py: {out} is not a PNG")


if __name__ == "__main__":
    main(sys.argv)
