import Core
import Domain
import Outbound
import Foundation
import Testing

@Suite("HTTPClient against a loopback server")
struct HTTPClientTests {
    private func url(_ server: LoopbackHTTPServer, _ pathAndQuery: String = "/") -> String {
        "http://127.0.0.1:\(server.port)\(pathAndQuery)"
    }

    private func sendExpectingError(_ client: HTTPClient, _ request: HTTPRequest) -> HTTPError? {
        do {
            let response = try client.send(request)
            Issue.record("expected an error, got status \(response.status)")
            return nil
        } catch {
            return error
        }
    }

    @Test func getReturnsStatusHeadersAndBody() throws {
        let server = try LoopbackHTTPServer { _ in
            .init(status: 200, headers: [("X-Reply", "one"), ("X-Multi", "a"), ("X-Multi", "b")], body: Array("hello".utf8))
        }
        defer { server.stop() }

        let response = try HTTPClient().send(HTTPRequest(url: url(server, "/data/Vendors?$top=1")))

        #expect(response.status == 200)
        #expect(response.body == Array("hello".utf8))
        #expect(response.header("X-REPLY") == "one")
        #expect(response.header("x-multi") == "a")
        #expect(response.headers.map(\.name) == ["x-reply", "x-multi", "x-multi", "content-length"])
        #expect(response.outcome == .success)
        #expect(response.duration > .zero)
        let received = try #require(server.requests.first)
        #expect(received.method == "GET")
        #expect(received.target == "/data/Vendors?$top=1")
        #expect(received.header("Expect") == nil)
        #expect(received.header("Content-Length") == nil)
    }

    @Test func postSendsHeadersAndBodyExactly() throws {
        let server = try LoopbackHTTPServer { request in
            .init(status: 201, headers: [("Location", "/items/7")], body: request.body.reversed())
        }
        defer { server.stop() }
        let body: [UInt8] = Array(#"{"name":"Contoso"}"#.utf8) + [0x00, 0xFF, 0x0D, 0x0A]
        let client = HTTPClient(configuration: .init(userAgent: "ml-connector-test/1"))

        let response = try client.send(HTTPRequest(
            method: "POST",
            url: url(server, "/items"),
            headers: [("Content-Type", "application/json"), ("X-Trace", "abc-123"), ("Authorization", "Bearer t0k3n")],
            body: body
        ))

        #expect(response.status == 201)
        #expect(response.header("location") == "/items/7")
        #expect(response.body == body.reversed())
        let received = try #require(server.requests.first)
        #expect(received.method == "POST")
        #expect(received.target == "/items")
        #expect(received.body == body)
        #expect(received.header("Content-Length") == "\(body.count)")
        #expect(received.header("Content-Type") == "application/json")
        #expect(received.header("X-Trace") == "abc-123")
        #expect(received.header("Authorization") == "Bearer t0k3n")
        #expect(received.header("User-Agent") == "ml-connector-test/1")
        #expect(received.header("Expect") == nil)
    }

    @Test func largeBodyIsSentWithoutExpectContinue() throws {
        let server = try LoopbackHTTPServer { request in .init(body: Array("\(request.body.count)".utf8)) }
        defer { server.stop() }
        let body = (0..<(1024 * 1024 + 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) }

        let response = try HTTPClient().send(HTTPRequest(method: "PUT", url: url(server, "/big"), body: body))

        #expect(response.body == Array("\(body.count)".utf8))
        let received = try #require(server.requests.first)
        #expect(received.header("Expect") == nil)
        #expect(received.body == body)
    }

    @Test func otherMethodsAndDefaultHeaders() throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 204) }
        defer { server.stop() }
        let client = HTTPClient()

        _ = try client.send(HTTPRequest(method: "POST", url: url(server, "/empty")))
        _ = try client.send(HTTPRequest(method: "PATCH", url: url(server, "/p"), body: Array("x=1".utf8)))
        _ = try client.send(HTTPRequest(method: "DELETE", url: url(server, "/d")))
        let head = try client.send(HTTPRequest(method: "HEAD", url: url(server, "/h")))

        #expect(head.status == 204)
        let received = server.requests
        #expect(received.map(\.method) == ["POST", "PATCH", "DELETE", "HEAD"])
        #expect(received[0].header("Content-Length") == "0")
        #expect(received[0].header("Content-Type") == nil)  // libcurl's form-urlencoded default is suppressed
        #expect(received[1].body == Array("x=1".utf8))
        #expect(received[2].header("Content-Length") == nil)
        #expect(server.connectionCount == 1)
    }

    @Test func invalidMethodOrHeaderIsRejectedBeforeSending() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()

        let badMethod = sendExpectingError(client, HTTPRequest(method: "GET /x HTTP/1.1\r\nX", url: url(server)))
        let badValue = sendExpectingError(client, HTTPRequest(url: url(server), headers: [("X-A", "1\r\nX-Injected: 1")]))
        let badName = sendExpectingError(client, HTTPRequest(url: url(server), headers: [("X A", "1")]))

        #expect(badMethod?.code == .invalidRequest)
        #expect(badValue?.code == .invalidRequest)
        #expect(badName?.code == .invalidRequest)
        #expect(badValue?.classification == .permanent)
        #expect(server.connectionCount == 0)
    }

    @Test func onlyTheFinalResponseHeadersAreKept() throws {
        let server = try LoopbackHTTPServer { _ in
            .init(status: 200, headers: [("X-Final", "yes")], interimHeaders: [("X-Interim", "yes")])
        }
        defer { server.stop() }

        let response = try HTTPClient().send(HTTPRequest(method: "PUT", url: url(server), body: [1]))

        #expect(response.status == 200)
        #expect(response.header("x-final") == "yes")
        #expect(response.header("x-interim") == nil)
    }

    @Test func connectionIsReusedAcrossRequests() throws {
        let server = try LoopbackHTTPServer { _ in .init(body: Array("ok".utf8)) }
        defer { server.stop() }
        let client = HTTPClient()

        _ = try client.send(HTTPRequest(url: url(server, "/one")))
        _ = try client.send(HTTPRequest(method: "POST", url: url(server, "/two"), body: [1, 2, 3]))

        #expect(server.requests.map(\.target) == ["/one", "/two"])
        #expect(server.connectionCount == 1)
    }

    @Test func slowResponseTimesOutAsRetryable() throws {
        let server = try LoopbackHTTPServer { _ in .init(delay: .seconds(5)) }
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(totalTimeout: .milliseconds(300)))

        let start = ContinuousClock.now
        let error = sendExpectingError(client, HTTPRequest(url: url(server, "/slow?token=s3cr3t")))

        #expect(error?.code == .timeout)
        #expect(error?.classification == .retryable)
        #expect(error?.curlCode == 28)
        #expect(ContinuousClock.now - start < .seconds(3))
        let description = try #require(error?.description)
        #expect(!description.contains("127.0.0.1") && !description.contains("s3cr3t") && !description.contains("slow"))
    }

    @Test func perRequestTimeoutOverridesConfiguration() throws {
        let server = try LoopbackHTTPServer { _ in .init(delay: .seconds(5)) }
        defer { server.stop() }

        let error = sendExpectingError(HTTPClient(), HTTPRequest(url: url(server), timeout: .milliseconds(200)))

        #expect(error?.code == .timeout)
    }

    @Test func rateLimitedWithDeltaSeconds() throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 429, headers: [("Retry-After", "7")]) }
        defer { server.stop() }

        let response = try HTTPClient().send(HTTPRequest(url: url(server)))

        #expect(response.status == 429)
        #expect(response.outcome == .rateLimited(retryAfter: .seconds(7)))
    }

    @Test func rateLimitedWithHTTPDate() throws {
        let server = try LoopbackHTTPServer { _ in
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            return .init(status: 429, headers: [("Retry-After", formatter.string(from: Date().addingTimeInterval(20)))])
        }
        defer { server.stop() }

        let response = try HTTPClient().send(HTTPRequest(url: url(server)))

        guard case .rateLimited(let delay) = response.outcome else {
            Issue.record("expected rateLimited, got \(response.outcome)")
            return
        }
        #expect(delay >= .seconds(18) && delay <= .seconds(22))
    }

    @Test func serviceUnavailableIsRetryable() throws {
        let server = try LoopbackHTTPServer { request in
            request.target == "/with-delay" ? .init(status: 503, headers: [("Retry-After", "12")]) : .init(status: 503)
        }
        defer { server.stop() }
        let client = HTTPClient()

        #expect(try client.send(HTTPRequest(url: url(server))).outcome == .retryable(after: nil))
        #expect(try client.send(HTTPRequest(url: url(server, "/with-delay"))).outcome == .retryable(after: .seconds(12)))
    }

    @Test func notFoundIsPermanent() throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 404, body: Array("nope".utf8)) }
        defer { server.stop() }

        let response = try HTTPClient().send(HTTPRequest(url: url(server, "/missing")))

        #expect(response.status == 404)
        #expect(response.body == Array("nope".utf8))
        #expect(response.outcome == .permanent)
    }

    @Test func refusedConnectionIsConnectFailedAndRetryable() throws {
        let server = try LoopbackHTTPServer()
        server.stop()  // the port is now closed: nobody listens there

        let error = sendExpectingError(HTTPClient(), HTTPRequest(url: url(server, "/x?apikey=hunter2")))

        #expect(error?.code == .connectFailed)
        #expect(error?.classification == .retryable)
        #expect(error?.curlCode == 7)
        let description = try #require(error?.description)
        #expect(description.hasPrefix("HTTP connect failed (curl 7"))
        #expect(!description.contains("127.0.0.1") && !description.contains("\(server.port)"))
        #expect(!description.contains("apikey") && !description.contains("hunter2"))
    }

    @Test func plainHTTPToRemoteHostIsRefusedWithoutIO() {
        let error = sendExpectingError(HTTPClient(), HTTPRequest(url: "http://example.com/?token=abc"))

        #expect(error?.code == .insecureURL)
        #expect(error?.classification == .permanent)
        #expect(error?.curlCode == nil)  // refused by URLPolicy before libcurl was involved
        let description = error?.description ?? ""
        #expect(!description.contains("example.com") && !description.contains("token"))
    }

    @Test func plainHTTPToLocalhostIsAllowed() throws {
        let server = try LoopbackHTTPServer { _ in .init(body: Array("hi".utf8)) }
        defer { server.stop() }

        let response = try HTTPClient().send(HTTPRequest(url: "http://localhost:\(server.port)/"))

        #expect(response.status == 200)
        #expect(response.body == Array("hi".utf8))
    }

    @Test func responseLargerThanLimitFails() throws {
        let server = try LoopbackHTTPServer { request in
            .init(body: [UInt8](repeating: 0x61, count: 10_000), closeToEndBody: request.target == "/no-length")
        }
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(maxResponseBytes: 1_000))

        // With Content-Length libcurl refuses up front; without it the write callback stops the transfer.
        for path in ["/with-length", "/no-length"] {
            let error = sendExpectingError(client, HTTPRequest(url: url(server, path)))
            #expect(error?.code == .responseTooLarge, "\(path)")
            #expect(error?.classification == .permanent)
            #expect(error?.description.contains("1000 bytes") == true)
        }
        let exact = try HTTPClient(configuration: .init(maxResponseBytes: 10_000)).send(HTTPRequest(url: url(server)))
        #expect(exact.body.count == 10_000)
    }
}

@Suite("HTTP building blocks")
struct HTTPBuildingBlockTests {
    /// Sun, 06 Nov 1994 08:49:37 GMT
    private let rfcExample = Date(timeIntervalSince1970: 784_111_777)

    @Test func retryAfterDeltaSeconds() {
        #expect(RetryAfter.delay("7", now: rfcExample) == .seconds(7))
        #expect(RetryAfter.delay(" 120 ", now: rfcExample) == .seconds(120))
        #expect(RetryAfter.delay("0", now: rfcExample) == .seconds(1))
        #expect(RetryAfter.delay("86400", now: rfcExample) == .seconds(3600))
        #expect(RetryAfter.delay("999999999999999999999999999", now: rfcExample) == .seconds(3600))
    }

    @Test func retryAfterHTTPDates() {
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:50:37 GMT", now: rfcExample) == .seconds(60))
        #expect(RetryAfter.delay("Sunday, 06-Nov-94 08:51:37 GMT", now: rfcExample) == .seconds(120))
        #expect(RetryAfter.delay("Sun Nov  6 08:52:37 1994", now: rfcExample) == .seconds(180))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:47 GMT", now: rfcExample.addingTimeInterval(0.5)) == .seconds(10))
        let leapDay = Date(timeIntervalSince1970: 1_709_164_800 - 100)  // 100 s before 2024-02-29T00:00:00Z
        #expect(RetryAfter.delay("Thu, 29 Feb 2024 00:00:00 GMT", now: leapDay) == .seconds(100))
    }

    @Test func retryAfterClampsAndDefaults() {
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:00:00 GMT", now: rfcExample) == .seconds(1))
        #expect(RetryAfter.delay("Fri, 01 Jan 2100 00:00:00 GMT", now: rfcExample) == .seconds(3600))
        for garbage in [nil, "", "soon", "-5", "1.5", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:00:00 GMT",
                        "Sun, 06 Nov 1994 08:49:37 PST", "06 Nov 1994 08:49:37 GMT"] {
            #expect(RetryAfter.delay(garbage, now: rfcExample) == .seconds(30), "\(garbage ?? "nil")")
        }
    }

    @Test func outcomeClassification() {
        let now = rfcExample
        #expect(HTTPResponse(status: 200).outcome(now: now) == .success)
        #expect(HTTPResponse(status: 204).outcome(now: now) == .success)
        #expect(HTTPResponse(status: 429).outcome(now: now) == .rateLimited(retryAfter: .seconds(30)))
        #expect(HTTPResponse(status: 408).outcome(now: now) == .retryable(after: nil))
        #expect(HTTPResponse(status: 500).outcome(now: now) == .retryable(after: nil))
        #expect(HTTPResponse(status: 503, headers: [("Retry-After", "soon")]).outcome(now: now) == .retryable(after: .seconds(30)))
        #expect(HTTPResponse(status: 301).outcome(now: now) == .permanent)
        #expect(HTTPResponse(status: 400).outcome(now: now) == .permanent)
        #expect(HTTPResponse(status: 401).outcome(now: now) == .permanent)
    }

    @Test func auditTargetStripsHostQueryAndCredentials() {
        #expect(HTTPRequest(url: "https://contoso.operations.dynamics.com/data/Vendors?$filter=x").auditTarget == "/data/Vendors")
        #expect(HTTPRequest(url: "https://user:pw@host.example:8443/a/b#frag").auditTarget == "/a/b")
        #expect(HTTPRequest(url: "https://[2001:db8::1]:443/v6").auditTarget == "/v6")
        #expect(HTTPRequest(url: "https://host.example").auditTarget == "/")
        #expect(HTTPRequest(url: "https://host.example?secret=1").auditTarget == "/")
        #expect(HTTPRequest(url: "not a url").auditTarget == "<invalid URL>")
    }

    @Test(arguments: [
        "https://contoso.example/x", "HTTPS://Contoso.Example", "http://localhost/", "http://LOCALHOST:8080/x",
        "http://127.0.0.1:1/", "http://127.255.3.4/", "http://[::1]:8080/", "http://user:pw@127.0.0.1/",
    ])
    func urlPolicyAllows(_ url: String) throws {
        try URLPolicy.check(url)
    }

    @Test(arguments: [
        "http://example.com/", "http://localhost.evil.com/", "http://127.0.0.1.evil.com/", "http://127.0.0.1@evil.com/",
        "http://evil.com#@127.0.0.1/", "http://evil.com?@127.0.0.1/", "http://127.1/", "http://2130706433/",
        "http://[::ffff:127.0.0.1]/", "http://128.0.0.1/", "ftp://localhost/", "gopher://127.0.0.1/",
    ])
    func urlPolicyRefusesInsecure(_ url: String) {
        do {
            try URLPolicy.check(url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.code == .insecureURL)
            #expect(error.classification == .permanent)
        }
    }

    @Test(arguments: [
        "", "not a url", "localhost:8080", "https:/x", "https://", "https://:443/", "https://a@b@host/",
        "http://[::1/", "https://host:99999/", "https://host:/", "https://host:8o/", "https://ho st/",
        "https://host/\r\nX: y", "https://evil.com\\@127.0.0.1/", "https://h%6Fst/", "https://[fe80::1%25eth0]/",
    ])
    func urlPolicyRefusesInvalid(_ url: String) {
        do {
            try URLPolicy.check(url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.code == .invalidURL)
        }
    }

    @Test func errorDescriptionsAreRedacted() {
        let url = "http://secret-host.example.com:8443/path?token=abc"
        do {
            _ = try HTTPClient().send(HTTPRequest(url: url, headers: [("Authorization", "Bearer xyz")]))
            Issue.record("expected insecureURL")
        } catch {
            for secret in ["secret-host", "8443", "token", "abc", "Bearer", "xyz", "path"] {
                #expect(!error.description.contains(secret))
            }
        }
    }
}
