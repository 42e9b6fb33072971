@testable import Domain
import Core
import Metadata
import Foundation
import Testing

/// The CSDL generated from reference/fo-schema.json by Fixtures/make-fo-metadata.py, with the sandbox's two
/// workflow actions.
private let foMetadata: ServiceMetadata = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fo-metadata.xml")
    do {
        return try ServiceMetadata(csdl: Array(try Data(contentsOf: url)))
    } catch {
        fatalError("Fixtures/fo-metadata.xml: \(error)")
    }
}()

private func catalog(_ overrides: String) throws -> EventCatalog {
    try EventCatalog.standard.overridden(by: try JSONParser.parse(overrides.utf8))
}

/// An override entry reading one vendor invoice header, with `member` added to the entry.
private func invoiceEntry(_ members: String, key: String = #"{"dataAreaId": "{legalEntity}", "HeaderReference": "{event.Ref}"}"#)
    -> String {
    """
    {"entries": [{"id": "test-invoice", "event": "TestEvent", "kind": "notice", "title": "Invoice",
      "reads": [{"name": "inv", "entitySet": "VendorInvoiceHeaders", "key": \(key)}]\(members.isEmpty ? "" : ", " + members)}]}
    """
}

@Suite struct CSDLTests {
    @Test("entity types, keys, properties, navigations, sets, enums and actions; aliases and base types resolved")
    func parsesASmallDocument() throws {
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
            <Schema Namespace="Microsoft.Dynamics.DataEntities" Alias="mdde" xmlns="http://docs.oasis-open.org/odata/ns/edm">
              <EntityType Name="Base"><Key><PropertyRef Name="dataAreaId"/></Key><Property Name="dataAreaId" Type="Edm.String"/></EntityType>
              <EntityType Name="Header" BaseType="mdde.Base">
                <Key><PropertyRef Name="dataAreaId"/><PropertyRef Name="Number"/></Key>
                <Property Name="Number" Type="Edm.String" Nullable="false"/>
                <Property Name="Approved" Type="mdde.NoYes"/>
                <NavigationProperty Name="Lines" Type="Collection(mdde.Line)" Partner="Header"/>
              </EntityType>
              <EntityType Name="Line"><Key><PropertyRef Name="LineNumber"/></Key><Property Name="LineNumber" Type="Edm.Int64"/>
                <NavigationProperty Name="Header" Type="Microsoft.Dynamics.DataEntities.Header"/></EntityType>
              <EnumType Name="NoYes"><Member Name="No" Value="0"/><Member Name="Yes" Value="1"/></EnumType>
              <Action Name="post" IsBound="true"><Parameter Name="Header" Type="Collection(mdde.Header)"/>
                <Parameter Name="Date" Type="Edm.Date"/><ReturnType Type="Edm.Boolean"/></Action>
              <EntityContainer Name="Resources">
                <EntitySet Name="Headers" EntityType="mdde.Header"><NavigationPropertyBinding Path="Lines" Target="Lines"/></EntitySet>
                <EntitySet Name="Lines" EntityType="Microsoft.Dynamics.DataEntities.Line"/>
              </EntityContainer>
            </Schema></edmx:DataServices></edmx:Edmx>
            """
        let metadata = try ServiceMetadata(csdl: Array(xml.utf8))
        #expect(metadata.entitySets == ["Headers": "Microsoft.Dynamics.DataEntities.Header", "Lines": "Microsoft.Dynamics.DataEntities.Line"])
        let header = try #require(metadata.entityType(ofSet: "Headers"))
        #expect(header.key == ["dataAreaId", "Number"])
        #expect(header.properties["Approved"] == "Microsoft.Dynamics.DataEntities.NoYes")
        #expect(header.navigations == ["Lines": "Microsoft.Dynamics.DataEntities.Line"])
        #expect(metadata.resolved(header).properties["dataAreaId"] == "Edm.String", "inherited from the base type")
        #expect(metadata.entityType(ofSet: "Lines")?.navigations["Header"] == "Microsoft.Dynamics.DataEntities.Header")
        #expect(metadata.enumTypes["Microsoft.Dynamics.DataEntities.NoYes"] == ["No", "Yes"])
        #expect(metadata.actions == [.init(name: "Microsoft.Dynamics.DataEntities.post", isBound: true, parameters: [
            .init(name: "Header", type: "Collection(Microsoft.Dynamics.DataEntities.Header)"), .init(name: "Date", type: "Edm.Date"),
        ])])
    }

    @Test("what is not CSDL is an error, not an empty model")
    func refusesWhatIsNotCSDL() {
        #expect(throws: MetadataError.self) { try ServiceMetadata(csdl: Array("{\"value\": []}".utf8)) }
        #expect(throws: MetadataError.self) { try ServiceMetadata(csdl: Array("<html><body>sign in</body></html>".utf8)) }
        #expect(throws: MetadataError.self) { try ServiceMetadata(csdl: Array("<Schema><EntityType".utf8)) }
    }

    @Test("the fixture generated from fo-schema.json maps sets to singular types through the container")
    func fixture() {
        #expect(foMetadata.entitySets["VendorsV2"] == "Microsoft.Dynamics.DataEntities.VendorV2")
        #expect(foMetadata.entityType(ofSet: "WorkflowWorkItems")?.key == ["Id"])
        #expect(foMetadata.entityType(ofSet: "VendorInvoiceHeaders")?.navigations["VendorInvoiceLine"]
            == "Microsoft.Dynamics.DataEntities.VendorInvoiceLine")
        #expect(foMetadata.enumTypes["Microsoft.Dynamics.DataEntities.WorkflowWorkItemStatus"] == ["Pending", "Delegated", "Completed", "Failed"])
    }
}

@Suite struct CatalogNamesTests {
    let references = EventCatalog.standard.schemaReferences

    private func contains(_ target: SchemaReference.Target, usedBy: String? = nil) -> Bool {
        references.contains { $0.target == target && (usedBy == nil || $0.usedBy == usedBy) }
    }

    @Test("reads: sets, full keys, filtered fields, expanded navigations")
    func reads() {
        #expect(contains(.entitySet("PurchaseOrderHeadersV2"), usedBy: "purchase-order-confirmed reads[order]"))
        #expect(contains(.key(entitySet: "VendorsV2", fields: ["dataAreaId", "VendorAccountNumber"])))
        #expect(contains(.path(entitySet: "VendInvoiceJourBiEntities", segments: ["InvoiceAccount"], use: .property),
                         usedBy: "vendor-invoice-posted reads[invoice].filter"))
        #expect(contains(.path(entitySet: "PurchaseOrderHeadersV2", segments: ["PurchaseOrderLinesV2"], use: .navigation)))
        #expect(contains(.entitySet("DimensionIntegrationFormats"), usedBy: "dimensionFormats"))
    }

    @Test("templates: read paths, indexes dropped, line items in the rows' type, currency arguments; payload names skipped")
    func templates() {
        #expect(contains(.path(entitySet: "VendorsV2", segments: ["VendorOrganizationName"], use: .read)))
        #expect(contains(.path(entitySet: "VendorPaymentJournalLines", segments: ["PaymentMethodName"], use: .read),
                         usedBy: "vendor-payment-posted card.fields[Method]"))
        #expect(contains(.path(entitySet: "PurchaseOrderHeadersV2", segments: ["PurchaseOrderLinesV2", "ItemNumber"], use: .read),
                         usedBy: "purchase-order-confirmed card.lines.item"))
        #expect(contains(.path(entitySet: "PurchaseOrderHeadersV2", segments: ["CurrencyCode"], use: .read),
                         usedBy: "purchase-order-confirmed card.lines.item"))
        #expect(contains(.path(entitySet: "VendorPaymentJournalLines", segments: ["CurrencyCode"], use: .read),
                         usedBy: "vendor-payment-posted card.lines.item"), "{line.…} of an all-rows read is the read's own set")
        // A key value template reads an earlier read.
        #expect(contains(.path(entitySet: "VendorInvoiceHeaders", segments: ["InvoiceAccount"], use: .read),
                         usedBy: "vendor-invoice-approval reads[vendor].key.VendorAccountNumber"))
        for reference in references {
            if case .path(let set, _, _) = reference.target { #expect(!["event", "legalEntity", "line"].contains(set)) }
        }
    }

    @Test("workflow actions with their body's parameters, and the approval code's own names")
    func actionsAndApprovalCode() {
        #expect(contains(.action(path: "WorkflowWorkItems/Microsoft.Dynamics.DataEntities.complete",
                                 parameters: ["WorkflowWorkitemInstanceID", "Outcome", "Comment"])))
        #expect(contains(.path(entitySet: "SystemUsers", segments: ["Email"], use: .property)))
        #expect(contains(.key(entitySet: "WorkflowWorkItems", fields: ["Id"])))
        for member in ["Pending", "Delegated", "Completed"] {
            #expect(contains(.enumMember(type: "WorkflowWorkItemStatus", member: member)))
        }
    }

    @Test("a constant enum literal names its member; a templated one does not")
    func enumLiterals() throws {
        let references = try catalog(invoiceEntry("", key: """
            {"dataAreaId": "{legalEntity}", "HeaderReference": "{event.Ref}", "Approved": {"enum": "NoYes", "symbol": "Yes"},
             "Other": {"enum": "NoYes", "symbol": "{event.Flag}"}}
            """)).schemaReferences
        #expect(references.contains { $0.target == .enumMember(type: "NoYes", member: "Yes") })
        #expect(!references.contains { if case .enumMember("NoYes", _) = $0.target { $0.usedBy.hasSuffix("Other") } else { false } })
    }
}

@Suite struct CatalogCheckTests {
    private func check(_ overrides: String) throws -> CatalogCheck {
        CatalogCheck(try catalog(overrides).schemaReferences, against: foMetadata)
    }

    @Test("a wrong property is found, with where it is used and the closest existing names")
    func wrongProperty() throws {
        let result = try check(invoiceEntry(#""amount": "{inv.InvoiceAmount}", "card": {"fields": [{"label": "Total", "value": "{inv.InvoiceAmount|money:inv.Currency}"}]}"#))
        #expect(!result.ok)
        let missing = try #require(result.missing.first { $0.usedBy.contains("test-invoice amount") })
        #expect(missing.kind == .property && missing.name == "InvoiceAmount" && missing.entitySet == "VendorInvoiceHeaders")
        #expect(missing.scope == "VendorInvoiceHeader")
        #expect(missing.usedBy.contains("test-invoice card.fields[Total]"))
        #expect(missing.closest.contains("ImportedAmount"))
        #expect(missing.line.hasPrefix("missing property InvoiceAmount of VendorInvoiceHeader (VendorInvoiceHeaders), used by "
            + "test-invoice reads[inv].select, test-invoice amount"))
        #expect(!result.missing.contains { $0.name == "Currency" }, "an existing currency argument is found")
    }

    @Test("URL names match exactly, a template's too: it is asked for with $select")
    func caseRules() throws {
        let result = try check(invoiceEntry(#""amount": "{inv.importedamount}""#,
                                            key: #"{"dataareaid": "{legalEntity}", "HeaderReference": "{event.Ref}"}"#))
        let selected = try #require(result.missing.first { $0.name == "importedamount" })
        #expect(selected.closest.first == "ImportedAmount")
        let key = try #require(result.missing.first { $0.kind == .key && $0.name == "dataareaid" })
        #expect(key.closest.first == "dataAreaId")
        #expect(result.missing.contains { $0.kind == .key && $0.name == "dataAreaId" && $0.note?.contains("does not name") == true })
    }

    @Test("navigations lead to their target type; an unknown set, navigation or enum member is named with suggestions")
    func navigationsSetsAndEnums() throws {
        let result = try check("""
            {"entries": [{"id": "nav", "event": "TestEvent", "kind": "notice", "title": "x",
              "reads": [{"name": "doc", "entitySet": "VendorInvoiceHeaders", "expand": "VendorInvoiceLines",
                         "key": {"dataAreaId": "{legalEntity}", "HeaderReference": "{event.Ref}"}},
                        {"name": "wi", "entitySet": "WorkflowWorkItem", "filter": {"Status": {"enum": "WorkflowWorkItemStatus", "symbol": "Pendng"}}}],
              "card": {"lines": {"rows": "{doc.VendorInvoiceLine}", "item": "{line.ItemNumber} {line.Amount} {line.Amout}"}}}]}
            """)
        let expand = try #require(result.missing.first { $0.kind == .navigation })
        #expect(expand.name == "VendorInvoiceLines" && expand.closest.first == "VendorInvoiceLine")
        #expect(result.missing.first { $0.kind == .entitySet }?.closest.first == "WorkflowWorkItems")
        let line = try #require(result.missing.first { $0.kind == .property && $0.usedBy == ["nav card.lines.item"] })
        #expect(line.name == "Amout" && line.scope == "VendorInvoiceLine" && line.closest.first == "Amount")
        #expect(!result.missing.contains { $0.name == "ItemNumber" || $0.name == "Amount" })
    }

    @Test("the sandbox's workflow actions and the approval code's names are found; a wrong parameter or binding is not")
    func actions() throws {
        let standard = CatalogCheck(EventCatalog.standard.schemaReferences, against: foMetadata)
        #expect(!standard.missing.contains { [.action, .parameter, .enumMember, .enumType].contains($0.kind) })
        #expect(!standard.missing.contains { $0.usedBy.contains("approval code (WorkItemSchema)") })
        #expect(standard.checked > 50)

        let result = try check("""
            {"workflowActions": {
               "validate": {"path": "WorkflowWorkItems(Id={workItem})/Microsoft.Dynamics.DataEntities.validate", "body": {}},
               "complete": {"path": "WorkflowWorkItems/Microsoft.Dynamics.DataEntities.complete",
                            "body": {"WorkflowWorkitemInstanceID": "{workItem}", "Outcom": "{outcome}", "Comment": "{comment}"}},
               "outcomes": {"approve": "Approve", "reject": "Reject"}}}
            """)
        let binding = try #require(result.missing.first { $0.kind == .action })
        #expect(binding.name == "validate" && binding.note?.contains("Collection(Microsoft.Dynamics.DataEntities.WorkflowWorkItem)") == true)
        let parameter = try #require(result.missing.first { $0.kind == .parameter })
        #expect(parameter.name == "Outcom" && parameter.closest.first == "Outcome" && parameter.scope == "complete")
    }

    @Test("the JSON report")
    func json() throws {
        let result = try check(invoiceEntry(#""amount": "{inv.InvoiceAmount}""#))
        let json = result.json
        #expect(json["ok"] == .bool(false))
        #expect(json["checked"]?.int64Value == Int64(result.checked))
        let first = try #require(json["missing"]?.arrayValue?.first { $0["usedBy"]?.stringValue?.contains("test-invoice amount") == true })
        #expect(first["kind"] == "property" && first["name"] == "InvoiceAmount" && first["entitySet"] == "VendorInvoiceHeaders")
        #expect(first["closest"]?.arrayValue?.contains("ImportedAmount") == true)
        #expect(result.summary == "\(result.checked) names checked, \(result.missing.count) missing")
    }
}

@Suite struct ClosestNamesTests {
    @Test("nearest first, case-insensitive, at most three, nothing far away")
    func ranking() {
        let names = ["VendorInvoiceLine", "VendorInvoiceType", "InvoiceDate", "DimensionSet", "vendorinvoicelines"]
        #expect(ClosestNames.closest(to: "VendorInvoiceLines", among: names) == ["vendorinvoicelines", "VendorInvoiceLine", "VendorInvoiceType"])
        #expect(ClosestNames.closest(to: "Amout", among: ["Amount", "Account", "Date", "AmountCur"]) == ["Amount", "Account"])
        #expect(ClosestNames.closest(to: "Xyz", among: ["LongUnrelatedName"]).isEmpty)
        #expect(ClosestNames.closest(to: "Id", among: ["Id", "ID"]) == ["ID"], "never the name itself")
    }
}

@Suite struct EffectiveDocumentTests {
    @Test("the effective document is the standard one with the overrides merged, and parses to the same catalog")
    func merged() throws {
        let overrides = try JSONParser.parse(invoiceEntry("").utf8)
        let document = try EventCatalog.effectiveDocument(overriddenBy: overrides)
        let parsed = try EventCatalog(json: document)
        let merged = try EventCatalog.standard.overridden(by: overrides)
        #expect(parsed.entries.map(\.id) == merged.entries.map(\.id))
        #expect(parsed.entries.first?.id == "test-invoice")
        #expect(try EventCatalog.effectiveDocument(overriddenBy: nil) == EventCatalog.standardJSON)
        // Fed back as overrides, it changes nothing.
        #expect(try EventCatalog.effectiveDocument(overriddenBy: document) == document)
    }
}
