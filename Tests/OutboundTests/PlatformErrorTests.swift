import Core
import Domain
import Outbound
import Testing

@Suite("one classification of platform answers")
struct PlatformErrorTests {
    private func answer(_ status: Int, _ headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers)
    }

    @Test("429 is a rate limit with its delay and bucket; it never spends an attempt")
    func rateLimited() {
        let bucket = RateKey.dynamics(connectionID: 4)
        #expect(PlatformError(answer: answer(429, [("Retry-After", "7")]), "m", rateKey: bucket).disposition
                == .rateLimited(seconds: 7, rateKey: bucket))
        #expect(PlatformError(answer: answer(429), "m", rateKey: nil).disposition == .rateLimited(seconds: 30, rateKey: nil))
    }

    @Test("408, 5xx and transport failures are retried (a 503's Retry-After kept); other answers are permanent")
    func retryAndPermanent() {
        #expect(PlatformError(answer: answer(503, [("Retry-After", "12")]), "m", rateKey: nil).disposition == .retry(after: 12))
        #expect(PlatformError(answer: answer(500), "m", rateKey: nil).disposition == .retry(after: nil))
        #expect(PlatformError(answer: answer(408), "m", rateKey: nil).disposition == .retry(after: nil))
        for status in [400, 401, 403, 404, 302] {
            #expect(PlatformError(answer: answer(status), "m", rateKey: "k").disposition == .permanent, "\(status)")
        }
        let refused = HTTPClient().sendError(HTTPRequest(url: "http://127.0.0.1:1/"))
        #expect(refused.map { PlatformError(transport: $0, "m").disposition } == .retry(after: nil))
        let insecure = HTTPClient().sendError(HTTPRequest(url: "http://example.com/"))
        #expect(insecure.map { PlatformError(transport: $0, "m").disposition } == .permanent)
    }
}

extension HTTPClient {
    fileprivate func sendError(_ request: HTTPRequest) -> HTTPError? {
        do {
            _ = try send(request)
            return nil
        } catch {
            return error
        }
    }
}
