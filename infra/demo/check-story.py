#!/usr/bin/env python3
"""CI's check of the demo (.ci/run): the story infra/demo.sh printed tells what should have happened, and the
pictures (the approval card, the App Home) are PNGs of plausible size. Exits 1 naming every line that is missing.
  check-story.py STORY.txt PICTURE.png…
"""
import re
import sys

story_path, picture_paths = sys.argv[1], sys.argv[2:]
story = open(story_path, encoding="utf-8").read()
approve_item, reject_item = "3d8f6a2b-91c4-4e7a-b0d5-6c1e2f3a4b5c", "8a1c5e3f-2b7d-4c90-9e6a-1f4b3d2c5a7e"

expected = [
    ("every business event accepted through nginx (202, the test event 200)",
     r"endpoint-test +HTTP 200(?s:.*)purchase-order-confirmed +HTTP 202(?s:.*)workflow-work-item-vendor-invoice-000419 +HTTP 202"),
    ("the channel cards", r"chat\.postMessage to C0PURCHASING(?s:.*)chat\.postMessage to C0AP (?s:.*)chat\.postMessage to C0PAYMENTS"),
    ("both approval cards posted to the approver's DM", r"(?s:chat\.postMessage to D04ALICIADM.*){2}"),
    ("the approval card read with its header, fields and all four buttons",
     r"VENDOR INVOICE USMF-VI-000418 NEEDS APPROVAL\n(?:  \|.*\n)*  \| Invoice number: INV-88213 +Vendor: Fabrikam Supplies \(US-104\)\n"
     r"(?:  \|.*\n)*  \| \[ Approve \]   \[ Reject \]   \[ Request change \]   \[ Delegate \]"),
    ("the Approve click answered 200 by handle-slack-interaction through nginx", r"taps Approve on USMF-VI-000418.*\nHTTP 200"),
    ("the reason modal opened", r"taps Reject on USMF-VI-000419(?s:.*)\n  \| .*[Rr]eason"),
    ("the approval written back to F&O",
     rf"F&O work item {approve_item}: Status Completed.*\n  completed with Outcome Approve"),
    ("the rejection written back to F&O with the reason",
     rf"F&O work item {reject_item}: Status Completed.*\n  completed with Outcome Reject, Comment \"Only 20 of the 50 amplifier boards"),
    ("the approved card updated", r"  \| Approved by @Alicia Thornton"),
    ("the rejected card updated with the reason", r"  \| Rejected by @Alicia Thornton.*\n  \| Reason: Only 20 of the 50"),
    ("the audit story of the approved invoice",
     r"-- workflow-work-item-vendor-invoice \(7F3E2D1C-0B9A-4876-A5B4-C3D2E1F0A9B8\)\n(?s:.*?)event\.received(?s:.*?)slack\.post"
     r"(?s:.*?)approval\.decided(?s:.*?)workflow\.complete(?s:.*?)slack\.update"),
    ("the audit story of the rejected invoice",
     r"-- workflow-work-item-vendor-invoice-000419 \(2B9D4F61-7C3E-4A8B-9D05-E1F2A3B4C5D6\)\n(?s:.*?)event\.received"
     r"(?s:.*?)slack\.modal(?s:.*?)approval\.decided(?s:.*?)workflow\.complete"),
    ("the App Home lists the approver's two open approvals", r"opens the app's Home tab(?s:.*?)views\.publish for U04ALICIA(?s:.*?)2 open approvals"),
    ("the reminder in the card's thread before the due date",
     r"the reminder for USMF-VI-000419(?s:.*?)chat\.postMessage to D04ALICIADM in the thread of [0-9.]+\n  \| .*Reminder: this approval is due"),
    ("the App Home refreshed after the decisions", r"Home now \(published again(?s:.*?)Nothing is waiting for your approval"),
    ("the health view: healthy, both approvals decided",
     r"== the health view(?s:.*?)approvals   pending 0 .*approved 1  rejected 1(?s:.*?)\nhealthy\n"),
    ("the wall time", r"demo finished: [0-9.]+ s in all, [0-9.]+ s after the build"),
]
missing = [what for what, pattern in expected if not re.search(pattern, story)]

sizes = []
for picture_path in picture_paths:
    with open(picture_path, "rb") as f:
        picture = f.read()
    if picture[:8] != b"\x89PNG\r\n\x1a\n":
        missing.append(f"{picture_path} is not a PNG")
    elif len(picture) <= 10 * 1024:
        missing.append(f"{picture_path} is only {len(picture)} bytes (expected > 10 KB)")
    sizes.append(f"{picture_path} is a PNG of {len(picture)} bytes")

if missing:
    print(f"check-story.py: the demo's story ({story_path}) lacks:", file=sys.stderr)
    for what in missing:
        print("  - " + what, file=sys.stderr)
    sys.exit(1)
print(f"check-story.py: the demo's story has all {len(expected)} parts; " + "; ".join(sizes))
