#!/usr/bin/env python3
"""What the demo (infra/demo.sh) reads back from the sandbox and prints: waits with a timeout for what process-job
and the handlers should have done, cards as a person reads them, the F&O write-back. Python 3 standard library only.
  story.py wait-posts BASE N SECONDS        until the sandbox has N chat.postMessage (fails with what it has)
  story.py wait-view BASE SECONDS           until a modal was opened (views.open); prints its id
  story.py wait-decided BASE ID TS SECONDS  until work item ID left Pending and card TS shows the decision
  story.py ts BASE TEXT                     the ts of the card whose fallback text contains TEXT
  story.py cards BASE                       every card posted, as a person reads it
  story.py card BASE TS first|latest        one card: as posted, or as it reads now
  story.py message BASE TS first|latest     the recorded message (JSON), for render-card.py
  story.py modal BASE                       the modal opened last, as a person reads it
  story.py workitem BASE ID                 the work item as F&O records it: status, outcome and comment
  story.py user BASE EMAIL                  ID=Name of the Slack user with that email (users.lookupByEmail with
                                            the bot token in MLC_SLACK_BOT_TOKEN)
The user names (for @mentions) are given with MLC_DEMO_USERS=ID=Name,… (what `user` prints).
"""
import json
import os
import sys
import time
import urllib.parse
import urllib.request

import mrkdwn

WIDTH = 96


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=10) as answer:
        return json.load(answer)


def messages(base):
    return get(base, "/_sandbox/messages")["messages"]


def names():
    pairs = [p.split("=", 1) for p in os.environ.get("MLC_DEMO_USERS", "").split(",") if "=" in p]
    return {k: v for k, v in pairs}


def fail(reason):
    print("demo: " + reason, file=sys.stderr)
    sys.exit(1)


def wait(seconds, check, describe):
    """Calls check() until it returns something truthy (returned) or `seconds` pass (fails with describe())."""
    deadline = time.monotonic() + float(seconds)
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            fail(f"timed out after {seconds} s: {describe()}")
        time.sleep(0.2)


def posts(base):
    return [m for m in messages(base) if m["method"] == "chat.postMessage"]


def versions(base, ts):
    found = [m for m in messages(base) if m.get("ts") == ts and m["method"] in ("chat.postMessage", "chat.update")]
    if not found:
        fail(f"no card with ts {ts}")
    return found


# MARK: Cards as text


def wrap(text, width):
    """Lines of at most `width` characters (words kept whole), the text's own line breaks kept."""
    out = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            if line and len(line) + 1 + len(word) > width:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
    return out


def block_lines(block, who):
    kind = block.get("type")
    if kind == "header":
        title = mrkdwn.element_text(block.get("text"))
        return [title.upper() if title.isascii() else title]
    if kind == "section":
        lines = []
        if block.get("text"):
            lines += wrap(mrkdwn.plain(mrkdwn.element_text(block["text"]), who), WIDTH)
        fields = [mrkdwn.plain(mrkdwn.element_text(f), who).split("\n", 1) for f in block.get("fields") or []]
        column = WIDTH // 2
        for i in range(0, len(fields), 2):
            pair = [f"{f[0]}: {f[1] if len(f) > 1 else ''}" for f in fields[i:i + 2]]
            lines.append(pair[0].ljust(column - 1) + " " + pair[1] if len(pair) == 2 else pair[0])
        return lines
    if kind == "context":
        return ["  " + line for element in block.get("elements") or []
                for line in wrap(mrkdwn.plain(mrkdwn.element_text(element), who), WIDTH - 2)]
    if kind == "actions":
        buttons = [e for e in block.get("elements") or [] if e.get("type") == "button"]
        return ["   ".join(f"[ {mrkdwn.element_text(b.get('text'))} ]" for b in buttons)]
    if kind == "divider":
        return ["-" * WIDTH]
    if kind == "input":
        return [f"{mrkdwn.element_text(block.get('label'))}: [____________________]"]
    return [f"({kind} block)"]


def block_lines_all(blocks, who):
    lines = []
    for block in blocks:
        lines += ["  | " + line for line in block_lines(block, who)]
    return lines


def card_text(message, who):
    header = f"{message['method']} to {message.get('channel')} (ts {message.get('ts')}, version {message.get('version')})"
    lines = []
    for block in message.get("blocks") or []:
        lines += block_lines(block, who)
    if not lines:
        lines = wrap(mrkdwn.plain(message.get("text") or "", who), WIDTH)
    return "\n".join([header] + ["  | " + line for line in lines])


def modal_text(view, who):
    title = mrkdwn.element_text(view.get("title"))
    lines = [title.upper()]
    for block in view.get("blocks") or []:
        lines += block_lines(block, who)
    buttons = [mrkdwn.element_text(view.get(name)) for name in ("close", "submit") if view.get(name)]
    if buttons:
        lines.append("   ".join(f"[ {b} ]" for b in buttons))
    return "\n".join("  | " + line for line in lines)


# MARK: Commands


def main(argv):
    command, base, args = argv[1], argv[2].rstrip("/"), argv[3:]
    who = names()
    if command == "wait-posts":
        want, seconds = int(args[0]), args[1]
        wait(seconds, lambda: len(posts(base)) >= want,
             lambda: f"{len(posts(base))} of {want} cards posted; the sandbox received: "
                     + (", ".join(f"{m['method']} {m.get('channel')}" for m in messages(base)) or "nothing"))
    elif command == "wait-view":
        view = wait(args[0], lambda: next((m for m in reversed(messages(base)) if m["method"] == "views.open"), None),
                    lambda: "no modal was opened (views.open)")
        print(view["view"]["id"])
    elif command == "wait-decided":
        item_id, ts, seconds = args

        def status_line():
            latest = versions(base, ts)[-1]
            return next((mrkdwn.element_text(b.get("text")) for b in latest.get("blocks") or []
                         if b.get("block_id") == "mlc.status"), "")

        def decided():
            status = status_line()
            return get(base, f"/_sandbox/workitems/{item_id}")["Status"] != "Pending" and status and "Recording" not in status

        wait(seconds, decided, lambda: f"work item {item_id} is {get(base, '/_sandbox/workitems/' + item_id)['Status']} in F&O; "
                                       f"its card's status line: {status_line() or '(none yet)'}")
    elif command == "ts":
        found = [m for m in posts(base) if args[0] in (m.get("text") or "")]
        if not found:
            fail(f"no card mentions {args[0]}; posted: " + "; ".join((m.get("text") or "")[:80] for m in posts(base)))
        print(found[0]["ts"])
    elif command == "cards":
        for message in posts(base):
            print(card_text(message, who))
            print()
    elif command == "card":
        found = versions(base, args[0])
        print(card_text(found[0] if args[1] == "first" else found[-1], who))
    elif command == "message":
        found = versions(base, args[0])
        print(json.dumps(found[0] if args[1] == "first" else found[-1], indent=1))
    elif command == "modal":
        view = next((m for m in reversed(messages(base)) if m["method"] == "views.open"), None)
        if view is None:
            fail("no modal was opened")
        print(modal_text(view["view"], who))
    elif command == "wait-reply":
        ts, seconds = args
        reply = wait(seconds, lambda: next((m for m in messages(base) if m["method"] == "chat.postMessage"
                                            and m.get("thread_ts") == ts), None),
                     lambda: f"no reply in the thread of {ts} yet")
        print(f"chat.postMessage to {reply.get('channel')} in the thread of {ts}")
        print(card_text(reply, who).split("\n", 1)[-1] if reply.get("blocks") else "  | " + (reply.get("text") or ""))
    elif command == "wait-home":
        # wait-home USER SECONDS [TEXT]: until the person's Home is published (and its blocks hold TEXT).
        user, seconds, text = args[0], args[1], (args[2] if len(args) > 2 else "")

        def published():
            home = get(base, f"/_sandbox/home/{user}")
            return (home.get("publications") or 0) > 0 and text in json.dumps(home.get("view"), ensure_ascii=False)

        wait(seconds, published, lambda: f"{user}'s Home was published {get(base, '/_sandbox/home/' + user).get('publications') or 0} "
                                         f"time(s)" + (f", none yet saying {text!r}" if text else ""))
    elif command == "home":
        home = get(base, f"/_sandbox/home/{args[0]}")
        if len(args) > 1 and args[1] == "json":
            print(json.dumps(home["view"], indent=1))
        else:
            print(f"views.publish for {args[0]} (publication {home.get('publications')})")
            print("\n".join(block_lines_all(home["view"].get("blocks") or [], who)))
    elif command == "workitem":
        item = get(base, f"/_sandbox/workitems/{args[0]}")
        print(f"F&O work item {item['Id']}: Status {item['Status']} (assigned to {item['UserId']})")
        for c in item["completions"]:
            print(f"  completed with Outcome {c['outcome']}" + (f", Comment \"{c['comment']}\"" if c["comment"] else ", no comment"))
    elif command == "user":
        request = urllib.request.Request(base + "/slack/api/users.lookupByEmail?" + urllib.parse.urlencode({"email": args[0]}),
                                         headers={"Authorization": "Bearer " + os.environ["MLC_SLACK_BOT_TOKEN"]})
        with urllib.request.urlopen(request, timeout=10) as answer:
            user = json.load(answer)["user"]
        print(f"{user['id']}={user['real_name']}")
    else:
        fail(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
