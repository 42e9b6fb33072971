import Core
import Foundation
import Interactions
import Testing

/// One table of contract and hostile cases (`Corpus/*.json`, one file each), run through every serving mode of
/// DESIGN.md §5.3: the status and body each case must get per §5, a process that answers and stays up, and nothing
/// stored or changed for a refused case.
@Suite("contract corpus in every serving mode", .serialized, .needsDatabase)
struct ContractCorpusTests {
    static let eventKey = "test-event-key-0123456789"

    /// A case file.
    struct Case: Sendable, CustomStringConvertible {
        let file: String
        let json: [String: any Sendable]
        var description: String { file }
        var name: String { json["name"] as? String ?? file }
        var handler: String { json["handler"] as? String ?? "" }
        var expect: [String: any Sendable] { json["expect"] as? [String: any Sendable] ?? [:] }
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")

    static let cases: [Case] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.filter { $0.hasSuffix(".json") }.sorted() ?? []
        return files.compactMap { file in
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return Case(file: file, json: object.mapValues { Self.sendable($0) })
        }
    }()

    private static func sendable(_ value: Any) -> any Sendable {
        switch value {
        case let object as [String: Any]: object.mapValues(sendable)
        case let array as [Any]: array.map(sendable)
        case let text as String: text
        case let number as NSNumber: number.intValue
        default: ""
        }
    }

    /// The serving modes the table runs through; each gives a fresh `HandlerServer` on a database of its own.
    static let modes: [String] = ["cgi", "functionEvent", "fastCGI", "lambda", "server"]

    static func server(_ mode: String, databaseURL: String) throws -> any HandlerServer {
        let environment = ["MLC_MASTER_KEY": TestEnvironment.masterKey]
        switch mode {
        case "cgi": return ProcessPerRequest(.cgi, databaseURL: databaseURL, environment: environment)
        case "functionEvent": return ProcessPerRequest(.functionEvent, databaseURL: databaseURL, environment: environment)
        case "fastCGI": return FastCGIServer(databaseURL: databaseURL, environment: environment)
        case "lambda": return LambdaServer(databaseURL: databaseURL, environment: environment)
        default: return try ServerProcess(databaseURL: databaseURL, environment: environment)
        }
    }

    @Test("the corpus has at least 80 cases, every one well-formed")
    func corpusIsComplete() {
        #expect(Self.cases.count >= 80)
        for item in Self.cases {
            #expect(["handle-business-event", "handle-slack-interaction"].contains(item.handler), "\(item)")
            #expect(item.expect["status"] is Int, "\(item)")
        }
    }

    @Test("every case, in every serving mode", arguments: modes)
    func everyCase(mode: String) throws {
        let database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("default", eventKey: Self.eventKey).status == 0)
        #expect(try cli.run(["route", "add", "default", "--event", "*", "--channel", "C0FINANCE"]).status == 0)
        let server = try Self.server(mode, databaseURL: database.url)
        let db = try database.connect()
        func stored() throws -> [Int] {
            try ["business_event", "job", "approval"].map { table in try db.query("SELECT count(*) AS n FROM \(raw: table)").first!.int("n") }
        }
        var outputs: [String] = []
        for item in Self.cases {
            // Cases about the CGI transport itself (CONTENT_LENGTH forms, raw variables) run where there is CGI.
            let cgi = item.json["cgiEnvironment"] as? [String: any Sendable]
            if cgi != nil && mode != "cgi" { continue }
            let before = try stored()
            let response = try send(item, to: server, cgiOverrides: cgi.map { $0.mapValues { $0 as? String } } ?? [:],
                                    databaseURL: database.url)
            check(response, against: item, mode: mode)
            outputs.append(response.bodyText)
            outputs.append(response.stderr)
            let after = try stored()
            if item.json["stores"] as? Int != 1 {
                #expect(after == before, "\(mode) \(item): a refused or duplicate request stored or changed nothing")
            } else {
                #expect(after[0] > before[0], "\(mode) \(item): stored")
            }
        }
        try auditSecrets(outputs, databaseURL: database.url, mode: mode)
    }

    /// The secrets audit of issue 10 for this mode: nothing the handlers wrote (answers, logs) and nothing in the
    /// database holds a secret in plain text after the whole corpus ran.
    private func auditSecrets(_ outputs: [String], databaseURL: String, mode: String) throws {
        let bindir = try #require(try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql").sorted {
            $0.compare($1, options: .numeric) == .orderedAscending }.last)
        let dump = try ProcessRunner.run("/usr/lib/postgresql/\(bindir)/bin/pg_dump", arguments: ["--dbname", databaseURL],
                                         environment: [:], timeout: 60)
        #expect(dump.status == 0, "\(dump.stderr)")
        let secrets = [Self.eventKey, TestEnvironment.masterKey] + CLI.secrets.values
        for (name, text) in [("pg_dump", dump.stdoutText), ("answers and logs", outputs.joined(separator: "\n"))] {
            for secret in secrets {
                #expect(!text.contains(secret), "\(mode): \(name) holds a secret in plain text")
            }
        }
    }

    private func send(_ item: Case, to server: any HandlerServer, cgiOverrides: [String: String?], databaseURL: String) throws
        -> HandlerResponse {
        var body: [UInt8] = []
        if let text = item.json["body"] as? String { body = Array(text.utf8) }
        if let base64 = item.json["bodyBase64"] as? String { body = Array(Data(base64Encoded: base64) ?? Data()) }
        if let repeated = item.json["bodyRepeat"] as? [String: any Sendable], let text = repeated["text"] as? String,
           let count = repeated["count"] as? Int {
            body = Array(repeating: Array(text.utf8).first ?? 0x20, count: count)
        }
        var headers = item.json["headers"] as? [String: any Sendable] ?? [:]
        if let sign = item.json["sign"] as? [String: any Sendable], let stamp = sign["timestamp"] as? String {
            let now = Int(Date().timeIntervalSince1970)
            let timestamp = switch stamp {
            case "now": String(now)
            case "now-400": String(now - 400)
            case "now+400": String(now + 400)
            default: stamp
            }
            let secret = sign["secret"] as? String == "connection" ? CLI.secrets["MLC_SLACK_SIGNING_SECRET"]! : "not-the-secret"
            let signedBody = (sign["body"] as? String).map { Array($0.utf8) } ?? body
            var signature = SlackSignature.sign(body: signedBody, timestamp: timestamp, secret: secret)
            if sign["scheme"] as? String == "v1" { signature = "v1=" + signature.dropFirst(3) }
            headers["x-slack-request-timestamp"] = timestamp
            headers["x-slack-signature"] = signature
        }
        let query = (item.json["query"] as? String ?? "").replacingOccurrences(of: "${KEY}", with: Self.eventKey)
        if !cgiOverrides.isEmpty {
            return try HandlerInvocation(binary: TestEnvironment.binary(item.handler), databaseURL: databaseURL,
                                         extraEnvironment: ["MLC_MASTER_KEY": TestEnvironment.masterKey])
                .send(.cgi, method: item.json["method"] as? String ?? "POST", path: item.json["path"] as? String ?? "/", query: query,
                      headers: headers.compactMapValues { $0 as? String }, body: body, cgiOverrides: cgiOverrides)
        }
        return try server.send(handler: item.handler, method: item.json["method"] as? String ?? "POST", path: item.json["path"] as? String ?? "/",
                               query: query, headers: headers.compactMapValues { $0 as? String }, body: body)
    }

    private func check(_ response: HandlerResponse, against item: Case, mode: String) {
        let expect = item.expect
        let place = "\(mode) \(item)"
        if let allowed = expect["anyOf"] as? [any Sendable] {
            #expect(allowed.contains { $0 as? Int == response.status }, "\(place): \(response.status) \(response.bodyText.prefix(200))")
        } else {
            #expect(response.status == expect["status"] as? Int, "\(place): \(response.bodyText.prefix(200))")
        }
        #expect(response.exitStatus == 0, "\(place): the process exits cleanly")
        if let body = expect["body"] as? String { #expect(response.bodyText == body, "\(place)") }
        if expect["bodyEmpty"] as? Int == 1 { #expect(response.body.isEmpty, "\(place)") }
        if let key = expect["jsonHas"] as? String { #expect(response.json?[key] != nil, "\(place): \(response.bodyText.prefix(200))") }
        if let json = expect["json"] as? [String: any Sendable] {
            for (key, value) in json {
                let actual = response.json?[key]
                if let number = value as? Int {
                    #expect((actual as? NSNumber)?.intValue == number, "\(place): \(key)")
                } else {
                    #expect(actual as? String == value as? String, "\(place): \(key)")
                }
            }
        }
        for (name, value) in expect["headers"] as? [String: any Sendable] ?? [:] {
            #expect(response.headers[name] == value as? String, "\(place): header \(name)")
        }
        let secret = CLI.secrets["MLC_SLACK_SIGNING_SECRET"]!
        #expect(!response.bodyText.contains(Self.eventKey) && !response.bodyText.contains(secret), "\(place): no secret echoed")
    }
}
