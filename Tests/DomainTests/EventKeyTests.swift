import Core
import Domain
import Testing

@Suite("business-event keys")
struct EventKeyTests {
    @Test("generated keys are base64url; only the right key verifies, an unknown connection never does")
    func keys() throws {
        let key = try EventKey.generate()
        #expect(key.count == 43 && !key.contains("+") && !key.contains("/") && !key.contains("="))
        #expect(EventKey.verify(key, against: EventKey.hash(key)))
        #expect(!EventKey.verify(key + "x", against: EventKey.hash(key)))
        #expect(!EventKey.verify(key, against: nil))
        #expect(!EventKey.verify(nil, against: EventKey.hash("")))
    }
}
