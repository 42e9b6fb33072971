import Core
import Domain
import Inbound
import Outbound
import Jobs
import Interactions
import Foundation
import Testing

@Suite("PostgreSQL outage", .needsDatabase)
struct DatabaseOutageTests {
    @Test("the database stopped mid-test answers 503; the resend after restart is accepted once")
    func stopAndRestart() throws {
        let cluster = try PrivateCluster()
        let cli = CLI(databaseURL: cluster.url)
        #expect(try cli.run(["migrate"]).status == 0)
        #expect(try cli.addConnection("default").status == 0)
        #expect(try cli.run(["route", "add", "default", "--event", "*", "--channel", "C1"]).status == 0)
        let handler = HandlerInvocation(binary: TestEnvironment.binary("handle-business-event"), databaseURL: cluster.url)
        let body = try TestEnvironment.fixture("business-events/purchase-order-confirmed.json")
        let query = "code=test-event-key-0123456789"

        #expect(try handler.send(.cgi, path: "/default", query: query,
                                 body: try TestEnvironment.fixture("business-events/vendor-invoice-posted.json")).status == 202)
        try cluster.stop()
        for format in RequestFormat.allCases {
            let refused = try handler.send(format, path: "/default", query: query, body: body)
            #expect(refused.status == 503)
            #expect(refused.headers["retry-after"] == "5")
        }
        try cluster.start()
        let resent = try handler.send(.cgi, path: "/default", query: query, body: body)
        #expect(resent.status == 202)
        #expect(resent.int("accepted") == 1)
        let again = try handler.send(.functionEvent, path: "/default", query: query, body: body)
        #expect(again.status == 200)
        #expect(again.int("duplicates") == 1)
        let db = try PostgresConnection(url: cluster.url)
        #expect(try db.query("SELECT count(*) AS n FROM business_event").first!.int("n") == 2)
        #expect(try db.query("SELECT count(*) AS n FROM job").first!.int("n") == 2)
    }
}
