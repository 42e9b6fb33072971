import Core
import Inbound
import Server
import Testing

@Suite struct ServerRouteTests {
    @Test(arguments: [
        ("/events/contoso", ServerRoute.endpoint(.events, handlerPath: "/contoso")),
        ("/slack/contoso", .endpoint(.slack, handlerPath: "/contoso")),
        ("/api/events/contoso", .endpoint(.events, handlerPath: "/contoso")),
        ("/api/slack/fabrikam%20eu", .endpoint(.slack, handlerPath: "/fabrikam%20eu")),
        ("/a/b/c/events/x", .endpoint(.events, handlerPath: "/x")),
        ("/events/", .endpoint(.events, handlerPath: "/")),
        ("/events", .endpoint(.events, handlerPath: "/")),
        ("/api/slack", .endpoint(.slack, handlerPath: "/")),
        ("/events/events", .endpoint(.events, handlerPath: "/events")),
        ("/events/slack", .endpoint(.events, handlerPath: "/slack")),
        ("/healthz", .health),
        ("/healthz/", .notFound),
        ("/", .notFound),
        ("", .notFound),
        ("/contoso", .notFound),
        ("/events/a/b", .notFound),
        ("/eventsx/a", .notFound),
    ])
    func routes(path: String, route: ServerRoute) {
        #expect(ServerRoute(path: path) == route)
    }

    /// The connection name the handler reads from the handler path is the segment after `events/` or `slack/`.
    @Test(arguments: [("/api/events/contoso", "contoso"), ("/events/", "default"), ("/slack", "default"),
                      ("/slack/fabrikam%20eu", "fabrikam eu")])
    func connectionName(path: String, name: String) throws {
        guard case .endpoint(_, let handlerPath) = ServerRoute(path: path) else { Issue.record("not an endpoint"); return }
        #expect(InboundRequest(method: "POST", path: handlerPath, rawQuery: "", headers: [:], body: []).connectionName == name)
    }
}

@Suite struct ListenAddressTests {
    @Test func portRules() throws {
        let both = Environment(["FUNCTIONS_CUSTOMHANDLER_PORT": "7071", "PORT": "9000"])
        #expect(try ListenAddress.resolve(host: nil, port: 8123, environment: both) == ListenAddress(host: "127.0.0.1", port: 8123))
        #expect(try ListenAddress.resolve(host: nil, port: nil, environment: both).port == 7071)
        #expect(try ListenAddress.resolve(host: nil, port: nil, environment: Environment(["PORT": "9000"])).port == 9000)
        #expect(try ListenAddress.resolve(host: "0.0.0.0", port: nil, environment: Environment([:])) == ListenAddress(host: "0.0.0.0", port: 8080))
        #expect(try ListenAddress.resolve(host: nil, port: nil, environment: Environment(["PORT": ""])).port == 8080)
    }

    @Test(arguments: ["0", "65536", "eighty", "-1"])
    func malformedPortNamesTheVariable(value: String) {
        #expect(throws: ConfigurationError(variable: "PORT", problem: "must be a TCP port from 1 to 65535")) {
            try ListenAddress.resolve(host: nil, port: nil, environment: Environment(["PORT": value]))
        }
    }
}
