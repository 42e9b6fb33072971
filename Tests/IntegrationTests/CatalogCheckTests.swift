import Core
import Domain
import Foundation
import Testing

/// `ml-connector catalog show` / `catalog check` and the check `ping` runs (DESIGN.md §6.2), against the sandbox's
/// `$metadata` and, offline, against the CSDL generated from reference/fo-schema.json.
@Suite("ml-connector catalog", .needsDatabase)
struct CatalogCheckTests {
    /// Tests/MetadataTests/Fixtures/fo-metadata.xml (made by make-fo-metadata.py from reference/fo-schema.json).
    static let metadataFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("MetadataTests/Fixtures/fo-metadata.xml").path

    /// An override entry reading a vendor invoice header with a deliberately misspelt property, `ImportedAmout`.
    static let wrongProperty = """
        {"entries": [{"id": "test-invoice", "event": "TestInvoiceEvent", "kind": "notice", "title": "Invoice {event.Ref}",
          "reads": [{"name": "inv", "entitySet": "VendorInvoiceHeaders",
                     "key": {"dataAreaId": "{legalEntity}", "HeaderReference": "{event.Ref}"}}],
          "amount": "{inv.ImportedAmout}",
          "card": {"fields": [{"label": "Amount", "value": "{inv.ImportedAmout|money:inv.Currency}"}]}}]}
        """

    private static func store(_ overrides: String, for name: String, cli: CLI) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-catalog-\(UUID().uuidString).json")
        try Data(overrides.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let stored = try cli.run(["connection", "catalog", name, "--file", file.path])
        #expect(stored.status == 0, "\(stored.stderr)")
    }

    private static func lines(_ result: ProcessResult) -> [Substring] {
        result.stdoutText.split(separator: "\n")
    }

    private static func isSummary(_ line: Substring?) -> Bool {
        guard let line else { return false }
        return line.wholeMatch(of: /[0-9]+ names checked, [0-9]+ missing/) != nil
    }

    @Test("check --metadata FILE works offline: a wrong property is named with where it is used and the closest name")
    func offline() throws {
        let database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("offline").status == 0)
        try Self.store(Self.wrongProperty, for: "offline", cli: cli)

        let text = try cli.run(["catalog", "check", "offline", "--metadata", Self.metadataFile])
        #expect(text.status == 1, "\(text.stderr)")
        let line = try #require(Self.lines(text).first { $0.contains("ImportedAmout") })
        #expect(line.hasPrefix("missing property ImportedAmout of VendorInvoiceHeader (VendorInvoiceHeaders), used by "
            + "test-invoice reads[inv].select, test-invoice amount"))
        #expect(line.contains("test-invoice card.fields[Amount]"))
        #expect(line.contains("; closest: ImportedAmount"), "nearest first")
        #expect(Self.isSummary(Self.lines(text).last))

        let json = try cli.run(["catalog", "check", "offline", "--metadata", Self.metadataFile, "--json"])
        #expect(json.status == 1)
        let report = try JSONParser.parse(json.stdout)
        #expect(report["ok"] == .bool(false))
        #expect((report["checked"]?.int64Value ?? 0) > 50)
        let missing = try #require(report["missing"]?.arrayValue?.first { $0["name"] == "ImportedAmout" })
        #expect(missing["kind"] == "property" && missing["entitySet"] == "VendorInvoiceHeaders")
        #expect(missing["usedBy"]?.stringValue?.contains("test-invoice amount") == true)
        #expect(missing["closest"]?.arrayValue?.first == "ImportedAmount")
        #expect(!(report["missing"]?.arrayValue ?? []).contains { $0["name"] == "Currency" }, "the money filter's currency exists")
    }

    @Test("an unreadable file is 66, a file that is not CSDL 65, an unknown connection 1")
    func failures() throws {
        let database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("failing").status == 0)
        #expect(try cli.run(["catalog", "check", "failing", "--metadata", "/nonexistent/metadata.xml"]).status == 66)
        let notXML = FileManager.default.temporaryDirectory.appendingPathComponent("mlc-not-csdl-\(UUID().uuidString).json")
        try Data(#"{"value": []}"#.utf8).write(to: notXML)
        defer { try? FileManager.default.removeItem(at: notXML) }
        let refused = try cli.run(["catalog", "check", "failing", "--metadata", notXML.path])
        #expect(refused.status == 65 && refused.stderr.contains("$metadata"))
        #expect(try cli.run(["catalog", "check", "nobody", "--metadata", Self.metadataFile]).status == 1)
        #expect(try cli.run(["catalog", "show", "nobody"]).status == 1)
    }

    @Test("show prints the effective catalog; --json round-trips through connection catalog --file")
    func showRoundTrips() throws {
        let database = try TestDatabase()
        let cli = CLI(databaseURL: database.url)
        #expect(try cli.addConnection("shown").status == 0)
        try Self.store(Self.wrongProperty, for: "shown", cli: cli)

        let text = try cli.run(["catalog", "show", "shown"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(Self.lines(text).first == "test-invoice (notice)", "new override entries are tried first")
        #expect(text.stdoutText.contains("  read inv: VendorInvoiceHeaders(dataAreaId='{legalEntity}', HeaderReference='{event.Ref}')"))
        #expect(text.stdoutText.contains("\npurchase-order-confirmed (notice)\n"))
        #expect(text.stdoutText.contains("workflow complete: POST WorkflowWorkItems/Microsoft.Dynamics.DataEntities.complete"))
        #expect(text.stdoutText.contains("\nreminders: off, quiet hours 20:00-08:00 in the approver's Slack time zone"))

        let first = try cli.run(["catalog", "show", "shown", "--json"])
        #expect(first.status == 0)
        let document = try JSONParser.parse(first.stdout)
        let ids = document["entries"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(ids?.first == "test-invoice" && ids?.contains("vendor-invoice-approval") == true)
        let merged = try EventCatalog.standard.overridden(by: try JSONParser.parse(Self.wrongProperty.utf8))
        #expect(ids == merged.entries.map(\.id))

        try Self.store(first.stdoutText, for: "shown", cli: cli)
        let second = try cli.run(["catalog", "show", "shown", "--json"])
        #expect(Self.normalized(try JSONParser.parse(second.stdout)) == Self.normalized(document),
                "the stored document (jsonb orders members its own way) is the same catalog")
    }

    @Test("check against the sandbox's $metadata: the catalog passes; a wrong property fails with a suggestion; ping says so")
    func sandbox() throws {
        let harness = try DeliveryHarness()
        let passing = try harness.cli.run(["catalog", "check", "contoso"])
        #expect(passing.status == 0, "\(passing.stdoutText)\(passing.stderr)")
        #expect(Self.lines(passing).last?.hasSuffix(" names checked, 0 missing") == true)
        let ping = try harness.cli.run(["ping", "contoso"])
        #expect(ping.stdoutText.contains(#/ok    catalog check: [0-9]+ names checked, all found/#))

        try Self.store(Self.wrongProperty, for: "contoso", cli: harness.cli)
        let failing = try harness.cli.run(["catalog", "check", "contoso"])
        #expect(failing.status == 1, "\(failing.stderr)")
        let line = try #require(Self.lines(failing).first { $0.contains("ImportedAmout") })
        #expect(line.contains("test-invoice amount") && line.contains("; closest: ImportedAmount"))
        let failingPing = try harness.cli.run(["ping", "contoso"])
        #expect(failingPing.status == 1)
        #expect(failingPing.stdoutText.contains("FAIL  catalog check: "))
        #expect(failingPing.stdoutText.contains("      hint: fix the catalog overrides (`ml-connector connection catalog NAME --file`)"))
        #expect(failingPing.stdoutText.contains("missing property ImportedAmout"))
        // The read is audited like every outbound call, without the host.
        let audit = try harness.cli.run(["audit", "--connection", "contoso", "--json"])
        #expect(audit.stdoutText.contains(#""action":"odata.metadata""#))
        #expect(!audit.stdoutText.contains("127.0.0.1"))
    }

    /// Objects with their members sorted by key, recursively.
    private static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let elements): .array(elements.map(normalized))
        case .object(let object): .object(JSONObject(object.sorted { $0.key < $1.key }.map { (key: $0.key, value: normalized($0.value)) }))
        default: value
        }
    }
}
