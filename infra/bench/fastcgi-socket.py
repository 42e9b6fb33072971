#!/usr/bin/env python3
"""FastCGI at the socket, no web server (DESIGN.md §8): N business events over one kept FastCGI connection to one
handler process; prints the per-request median and p99 (client-side, this script's own cost included) and the
process's RSS (VmRSS) after the first request and after the last.
    fastcgi-socket.py SOCKET PID N"""
import socket, statistics, struct, sys, time

KEY = "bench-event-key-0123456789"


def record(kind, rid, content=b""):
    pad = (8 - len(content) % 8) % 8
    return struct.pack(">BBHHBB", 1, kind, rid, len(content), pad, 0) + content + b"\0" * pad


def pairs(items):
    out = b""
    for name, value in items:
        for part in (name, value):
            n = len(part)
            out += bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)
        out += name + value
    return out


def request(n):
    body = ('{"BusinessEventId":"PurchaseOrderConfirmedBusinessEvent","BusinessEventLegalEntity":"usmf",'
            '"ControlNumber":%d,"EventId":"sock-%d","EventTime":"/Date(1764403200000)/","PurchaseOrderNumber":"USMF-000142",'
            '"TransactionCurrencyAmount":48250.75,"TransactionCurrencyCode":"USD","VendorAccount":"US-104"}' % (5_000_000 + n, n)).encode()
    params = pairs([(b"GATEWAY_INTERFACE", b"CGI/1.1"), (b"REQUEST_METHOD", b"POST"), (b"PATH_INFO", b"/events/bench"),
                    (b"QUERY_STRING", ("code=" + KEY).encode()), (b"CONTENT_TYPE", b"application/json"),
                    (b"CONTENT_LENGTH", str(len(body)).encode())])
    return (record(1, 1, struct.pack(">HB5x", 1, 1)) + record(4, 1, params) + record(4, 1)
            + record(5, 1, body) + record(5, 1))


def answer(sock, buffer):
    """Reads records up to FCGI_END_REQUEST; returns (status line, rest of the buffer)."""
    stdout = b""
    while True:
        while len(buffer) < 8 or len(buffer) < 8 + struct.unpack(">H", buffer[4:6])[0] + buffer[6]:
            chunk = sock.recv(65536)
            if not chunk:
                raise SystemExit("the handler closed the connection")
            buffer += chunk
        kind, length, pad = buffer[1], struct.unpack(">H", buffer[4:6])[0], buffer[6]
        content, buffer = buffer[8:8 + length], buffer[8 + length + pad:]
        if kind == 6:
            stdout += content
        elif kind == 3:
            return stdout.split(b"\r\n", 1)[0], buffer


def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])


def main():
    path, pid, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    buffer, times, errors = b"", [], 0
    before = None
    for n in range(count):
        message = request(n)
        start = time.perf_counter()
        sock.sendall(message)
        status, buffer = answer(sock, buffer)
        times.append(time.perf_counter() - start)
        if status != b"Status: 202 Accepted":
            errors += 1
        if n == 0:
            before = rss(pid)
    after = rss(pid)
    times.sort()
    print(f"requests: {count}, non-202: {errors}")
    print(f"median: {statistics.median(times) * 1000:.3f} ms, p99: {times[int(len(times) * 0.99)] * 1000:.3f} ms")
    print(f"RSS after the first request: {before / 1024:.1f} MiB, after {count}: {after / 1024:.1f} MiB, "
          f"growth {(after - before) / 1024:.2f} MiB")


main()
