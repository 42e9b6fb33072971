#!/usr/bin/env python3
"""Writes the seed inputs of every mlc-fuzz target under OUT/<target>/, from the sandbox's fixtures and the hostile
corpus (Tests/IntegrationTests/Corpus), in each target's input format (Sources/Fuzz/Targets.swift). Generated at
run time, never committed."""
import glob, hashlib, json, os, struct, sys, urllib.parse

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
out = sys.argv[1]
fixtures = os.path.join(root, "Sources/MLConnectorSandbox/Fixtures")
MAX = 4096  # the targets' maxBodyBytes and libFuzzer's -max_len

def put(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    data = data[: MAX * 2]
    os.makedirs(os.path.join(out, target), exist_ok=True)
    with open(os.path.join(out, target, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)

def read(path):
    with open(path, "rb") as f:
        return f.read()

def body_of(case):
    if case.get("body") is not None: return case["body"].encode("utf-8", "surrogatepass")
    if case.get("bodyBase64"):
        import base64; return base64.b64decode(case["bodyBase64"])
    if case.get("bodyRepeat"):
        r = case["bodyRepeat"]; return (r["text"] * min(r["count"], MAX // max(len(r["text"]), 1) + 1)).encode()
    return b""

cases = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(root, "Tests/IntegrationTests/Corpus/*.json")))]
small_json = [p for p in glob.glob(os.path.join(fixtures, "**/*.json"), recursive=True) if os.path.getsize(p) <= 64 * 1024]

for p in small_json: put("json", read(p))
for p in glob.glob(os.path.join(fixtures, "business-events/*.json")): put("business-event", read(p))
for p in glob.glob(os.path.join(fixtures, "odata/*.json")): put("odata", read(p))
for p in glob.glob(os.path.join(fixtures, "slack/*.json")):
    text = read(p)
    put("json", text)
    form = b"payload=" + urllib.parse.quote_plus(text).encode()
    put("interaction", form); put("interaction", text); put("form", form)

vector = read(os.path.join(fixtures, "slack/signature-test-vector.txt")).decode().splitlines()
vector_body = vector[vector.index("body (exact bytes, one line):") + 1]
put("form", vector_body)
put("slack-signature", "1531420618\nv0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503\n" + vector_body)

def fcgi_record(kind, rid, content, padding=0):
    return struct.pack(">BBHHBB", 1, kind, rid, len(content), padding, 0) + content + b"\0" * padding

def fcgi_pairs(pairs):
    def length(n): return bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)
    return b"".join(length(len(k)) + length(len(v)) + k + v for k, v in pairs)

for case in cases:
    body = body_of(case)
    headers = {k.lower(): v for k, v in (case.get("headers") or {}).items()}
    put("json", body)
    if case["handler"] == "handle-business-event": put("business-event", body)
    else:
        put("interaction", body); put("form", body)
        for ts in ["1700000000", "1699999700", "-9223372036854775808", "9223372036854775807", "+1700000000", " 1700000000", "1e9", ""]:
            put("slack-signature", f"{ts}\nv0=00\n".encode() + body)
    env = {"GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": case["method"], "PATH_INFO": case["path"],
           "QUERY_STRING": (case.get("query") or "").replace("${KEY}", "k3y"), "CONTENT_LENGTH": headers.pop("content-length", str(len(body)))}
    if "content-type" in headers: env["CONTENT_TYPE"] = headers.pop("content-type")
    for name, value in headers.items(): env["HTTP_" + name.upper().replace("-", "_")] = value
    put("cgi", "".join(f"{k}={v}\n" for k, v in env.items()).encode() + b"\n" + body[:MAX])
    event = {"version": "2.0", "rawPath": case["path"], "rawQueryString": env["QUERY_STRING"],
             "headers": case.get("headers") or {}, "requestContext": {"http": {"method": case["method"], "path": case["path"]}},
             "body": body[:MAX].decode("utf-8", "replace"), "isBase64Encoded": False}
    put("function-event", json.dumps(event))
    pairs = [(k.encode(), v.encode("utf-8", "surrogatepass")) for k, v in env.items()]
    stream = (fcgi_record(1, 1, struct.pack(">HB5x", 1, 1)) + fcgi_record(4, 1, fcgi_pairs(pairs)) + fcgi_record(4, 1, b"")
              + fcgi_record(5, 1, body[:MAX // 2], padding=3) + fcgi_record(5, 1, b""))
    put("fastcgi", bytes([len(stream) % 251]) + stream)
put("fastcgi", b"\x05" + fcgi_record(9, 0, fcgi_pairs([(b"FCGI_MAX_CONNS", b""), (b"FCGI_MPXS_CONNS", b"")])))

formats = json.load(open(os.path.join(fixtures, "odata/DimensionIntegrationFormats.json")))
names = [row.get("FinancialDimensionFormat", "") for row in formats.get("value", [])] or ["BusinessUnit-Department-CostCenter"]
values = ["001-022-", "001\\-A-022-0003", "\\", "-", "--", "a-b-c-d-e", "\\\\-x"]
for p in glob.glob(os.path.join(fixtures, "odata/*.json")):
    for line in read(p).decode().split('"'):
        if line.count("-") >= 1 and len(line) < 60 and " " not in line: values.append(line)
for n in names:
    for v in values[:40]: put("dimension", f"{n}\n{v}")

for value in ["120", "0", "-1", "3601", "99999999999999999999", "1e3", "1.5", "Sun, 06 Nov 1994 08:49:37 GMT",
              "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Tue, 14 Nov 2023 22:15:00 GMT", "", " 60 "]:
    put("retry-after", value)
