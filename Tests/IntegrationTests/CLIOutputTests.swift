import Core
import Foundation
import Testing

/// What the operator CLI prints for people and for scripts: aligned tables that fit `COLUMNS`, `--json` lines,
/// `--help` with an example on every command, and exit statuses scripts can trust (DESIGN.md §6.2).
@Suite("ml-connector output", .needsDatabase)
struct CLIOutputTests {
    /// Every command and subcommand (`connection` itself is the integrator's, with `connection update`).
    static let commands: [[String]] = [
        [], ["migrate"], ["connection"], ["connection", "add"], ["connection", "update"], ["status"], ["connection", "list"], ["connection", "show"],
        ["connection", "remove"], ["connection", "catalog"], ["catalog"], ["catalog", "show"], ["catalog", "check"],
        ["route"], ["route", "add"], ["route", "list"], ["route", "remove"], ["ping"], ["jobs"], ["replay"], ["audit"],
        ["keys"], ["keys", "rotate"], ["slack"], ["slack", "manifest"],
    ]

    /// Checks that every row's cells start where the header's columns start (cells are never empty in the columns
    /// checked) and that no line ends with a space.
    private static func expectAligned(_ text: String, columns: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let lines = text.split(separator: "\n").map(String.init)
        let header = try #require(lines.first, sourceLocation: sourceLocation)
        let offsets = try columns.map { try #require(header.range(of: $0), "\(header)", sourceLocation: sourceLocation) }
            .map { header.distance(from: header.startIndex, to: $0.lowerBound) }
        #expect(offsets == offsets.sorted() && offsets.first == 0, sourceLocation: sourceLocation)
        for line in lines {
            #expect(line.last != " ", "trailing space: \(line)", sourceLocation: sourceLocation)
            let characters = Array(line)
            for offset in offsets.dropFirst() where offset < characters.count {
                #expect(characters[offset] != " " && characters[offset - 1] == " " && characters[offset - 2] == " ",
                        "column at \(offset) of \(line)", sourceLocation: sourceLocation)
            }
        }
    }

    private static func jsonLines(_ result: ProcessResult) throws -> [JSONValue] {
        try result.stdoutText.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
    }

    @Test("route list and connection list: aligned tables; --json one object per line")
    func routesAndConnections() throws {
        let database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("contoso", dynamicsURL: "http://localhost:7/").status == 0)
        #expect(try cli.addConnection("northwind-traders", dynamicsURL: "http://localhost:7/").status == 0)
        #expect(try cli.run(["route", "add", "contoso", "--event", "Workflow_*_WorkItem", "--approver", "--fallback-channel", "C0APPROVALS"]).status == 0)
        #expect(try cli.run(["route", "add", "contoso", "--event", "PurchaseOrderConfirmedBusinessEvent", "--legal-entity", "USMF",
                             "--min-amount", "10000.50", "--channel", "C0PURCHASING"]).status == 0)
        #expect(try cli.run(["route", "add", "contoso", "--event", "*", "--email", "ap@contoso.com"]).status == 0)

        let routes = try cli.run(["route", "list", "contoso"])
        #expect(routes.status == 0)
        #expect(routes.stdoutText.split(separator: "\n").count == 4)
        try Self.expectAligned(routes.stdoutText, columns: ["ID", "EVENT", "LEGAL ENTITY", "MIN AMOUNT", "TO", "FALLBACK"])
        let json = try Self.jsonLines(try cli.run(["route", "list", "contoso", "--json"]))
        #expect(json.count == 3)
        #expect(json[0]["pattern"] == "Workflow_*_WorkItem" && json[0]["destination"] == "approver" && json[0]["target"] == .null
                && json[0]["fallback_channel"] == "C0APPROVALS")
        #expect(json[1]["legal_entity"] == "usmf" && json[1]["min_amount"] == "10000.5" && json[1]["target"] == "C0PURCHASING")
        #expect(json[2]["destination"] == "email" && json[2]["target"] == "ap@contoso.com")
        #expect(json.map { $0["id"]?.int64Value ?? 0 } == json.map { $0["id"]?.int64Value ?? 0 }.sorted())

        let connections = try cli.run(["connection", "list"])
        try Self.expectAligned(connections.stdoutText, columns: ["NAME", "ID", "TENANT", "CLIENT", "ADDED"])
        let listed = try Self.jsonLines(try cli.run(["connection", "list", "--json"]))
        #expect(listed.compactMap { $0["name"]?.stringValue } == ["contoso", "northwind-traders"])
        #expect(listed.allSatisfy { $0["tenant_id"] == "tenant-1" && $0["client_id"] == "client-1" && $0["created_at"]?.stringValue != nil })
        for secret in Array(CLI.secrets.values) + ["localhost:7"] {
            #expect(!connections.stdoutText.contains(secret) && !listed.map { $0.serialized() }.joined().contains(secret))
        }
        #expect(try cli.run(["route", "list", "northwind-traders", "--json"]).stdout.isEmpty)
    }

    @Test("jobs and audit: aligned tables cut to COLUMNS with …, in full when piped; --json lines carry every field")
    func jobsAndAudit() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "*", "--channel", "C0NOSUCH")
        #expect(try h.deliver(fixture: "vendor-invoice-posted") == 202)
        #expect(try h.deliver(fixture: "purchase-order-confirmed") == 202)
        try h.drain()

        let jobs = try Self.jsonLines(try h.cli.run(["jobs", "--json"]))
        #expect(jobs.count >= 2)
        let full = try h.cli.run(["jobs"])
        #expect(full.status == 0)
        #expect(full.stdoutText.split(separator: "\n").count == jobs.count + 1)
        try Self.expectAligned(full.stdoutText, columns: ["ID", "KIND", "STATE", "ATTEMPT", "RUN AT", "CONNECTION", "EVENT", "LAST ERROR"])
        #expect(full.stdoutText.contains("channel_not_found: the channel does not exist or the app cannot see it"))
        #expect(jobs.contains { $0["state"] == "discarded" && $0["last_error"]?.stringValue?.contains("channel_not_found") == true })

        let narrow = try h.cli.run(["jobs"], environment: ["COLUMNS": "100"])
        let lines = narrow.stdoutText.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 100 }, "\(narrow.stdoutText)")
        #expect(lines.filter { $0.contains(" discarded ") }.allSatisfy { $0.hasSuffix("…") }, "the long last_error is cut")
        #expect(lines.contains { $0.contains(" discarded ") })
        try Self.expectAligned(narrow.stdoutText, columns: ["ID", "KIND", "STATE", "ATTEMPT", "RUN AT", "CONNECTION", "EVENT", "LAST ERROR"])

        for job in jobs {
            for key in ["id", "kind", "state", "attempt", "max_attempts", "run_at", "connection", "event_id", "last_error"] {
                #expect(job[key] != nil, "jobs --json lacks \(key)")
            }
        }

        let audit = try h.cli.run(["audit", "--connection", "contoso"], environment: ["COLUMNS": "130"])
        #expect(audit.status == 0)
        #expect(audit.stdoutText.split(separator: "\n").allSatisfy { $0.count <= 130 }, "\(audit.stdoutText)")
        #expect(audit.stdoutText.split(separator: "\n").dropFirst().allSatisfy { $0.prefix(24).wholeMatch(of: /[0-9-]+T[0-9:.]+Z/) != nil },
                "times are never cut")
        try Self.expectAligned(audit.stdoutText, columns: ["AT", "CONNECTION", "EVENT", "ACTION", "OUTCOME"])
        let rows = try Self.jsonLines(try h.cli.run(["audit", "--connection", "contoso", "--json"]))
        #expect(rows.count == audit.stdoutText.split(separator: "\n").count - 1)
        #expect(rows.contains { $0["action"] == "job.discard" })
        #expect(try h.cli.run(["jobs", "--state", "running"]).stdoutText == "no running jobs\n")
    }

    @Test("--help of every command says what it does and shows an example")
    func helpExamples() throws {
        let cli = CLI(databaseURL: "postgresql://127.0.0.1:1/unused")
        for command in Self.commands {
            let help = try cli.run(command + ["--help"])
            #expect(help.status == 0, "\(command)")
            #expect(help.stdoutText.hasPrefix("OVERVIEW: "), "\(command)")
            // argument-parser wraps long lines: the example is the paragraph after "Example: ".
            let example = help.stdoutText.range(of: "\nExample: ").map { help.stdoutText[$0.upperBound...] }?
                .components(separatedBy: "\n\n").first
            #expect(example?.contains("ml-connector ") == true, "ml-connector \(command.joined(separator: " ")) --help has no example")
        }
        #expect(try cli.run(["--help"]).stdoutText.contains("Exit status: 0 ok; 1 "))
    }

    @Test("exit statuses: 1 not found, 64 usage, 69 PostgreSQL unreachable, 78 configuration")
    func exitStatuses() throws {
        let database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("contoso").status == 0)
        for arguments in [["route", "list", "nobody"], ["connection", "show", "nobody"], ["ping", "nobody"],
                          ["route", "remove", "999999"], ["replay", "999999"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 1 && result.stdout.isEmpty, "\(arguments): \(result.status) \(result.stderr)")
        }
        for arguments in [["jobs", "--limit", "many"], ["jobs", "--state", "sleeping"], ["audit", "--nope"],
                          ["route", "add", "contoso", "--event", "*"], ["route", "list"], ["frobnicate"],
                          ["slack", "manifest", "contoso"]] {
            #expect(try cli.run(arguments).status == 64, "\(arguments)")
        }
        let unreachable = try cli.run(["jobs"], environment: ["MLC_DATABASE_URL": "postgresql://127.0.0.1:1/mlc?connect_timeout=2"])
        #expect(unreachable.status == 69 && unreachable.stderr.contains("could not connect"))
        #expect(try cli.run(["ping", "contoso"], environment: ["MLC_MASTER_KEY": "not-base64"]).status == 78)
        #expect(try cli.run(["jobs"], environment: ["MLC_DATABASE_URL": ""]).status == 78)
    }
}
