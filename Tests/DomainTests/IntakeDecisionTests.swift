import Core
import Domain
import FoundationEssentials
import Testing

@Suite("intake decisions and route matching")
struct IntakeDecisionTests {
    private func event(_ id: String, entity: String = "USMF") throws -> BusinessEvent {
        try BusinessEvent.parse(try JSONParser.parse(Array(#"{"BusinessEventId":"\#(id)","EventId":"E","ControlNumber":1,"LegalEntity":"\#(entity)"}"#.utf8)))
    }

    private func route(_ pattern: String, entity: String? = nil, min: String? = nil, id: Int64 = 1) -> Route {
        Route(id: id, pattern: EventPattern(pattern), legalEntity: entity, minAmount: min.flatMap { Decimal(string: $0) },
              destination: .channel("C1"), fallbackChannel: nil)
    }

    @Test("the catalog alone says what a workflow event is: updates need no route, starts and external tasks are stored only")
    func workflowEventsFromTheCatalog() throws {
        let none = IntakeTarget(connectionID: 1, name: "c", eventKeyHash: [], routes: [])
        let all = IntakeTarget(connectionID: 1, name: "c", eventKeyHash: [], routes: [route("*")])
        let completed = try event("Workflow_VendInvoiceApproval_000031_ApproveInvoice")
        #expect(none.job(for: completed) == .workflowEvent)
        #expect(all.job(for: completed) == .workflowEvent)
        for id in ["Workflow_X_000001_Step_Started", "Workflow_X_000001_Task_ExternalTask"] {
            #expect(none.job(for: try event(id)) == nil, "\(id)")
            #expect(all.job(for: try event(id)) == nil, "\(id)")
        }
        let workItem = try event("Workflow_X_000001_Step_WorkItem")
        #expect(none.job(for: workItem) == nil)
        #expect(all.job(for: workItem) == .deliverEvent)
        #expect(none.job(for: try event("PurchaseOrderConfirmedBusinessEvent")) == nil)
        #expect(all.job(for: try event("PurchaseOrderConfirmedBusinessEvent")) == .deliverEvent)
    }

    @Test("a connection's catalog override decides too")
    func overriddenCatalog() throws {
        let overrides = #"{"entries":[{"id":"po-quiet","event":"PurchaseOrderConfirmedBusinessEvent","kind":"ignore","title":"x"}]}"#
        let target = IntakeTarget(connectionID: 1, name: "c", eventKeyHash: [], routes: [route("*")], catalogOverrides: overrides)
        #expect(target.job(for: try event("PurchaseOrderConfirmedBusinessEvent")) == nil)
        #expect(target.job(for: try event("VendorInvoicePostedBusinessEvent")) == .deliverEvent)
    }

    @Test("one matcher: pattern, legal entity, and the amount once it is known")
    func routeMatching() throws {
        let po = try event("PurchaseOrderConfirmedBusinessEvent")
        #expect(route("Purchase*").matches(businessEventID: po.businessEventID, legalEntity: po.legalEntity, amount: .unknownYet))
        #expect(!route("Vendor*").matches(businessEventID: po.businessEventID, legalEntity: po.legalEntity, amount: .unknownYet))
        #expect(route("*", entity: "usmf").matches(businessEventID: po.businessEventID, legalEntity: "USMF", amount: .unknownYet))
        #expect(!route("*", entity: "brmf").matches(businessEventID: po.businessEventID, legalEntity: "usmf", amount: .unknownYet))
        let big = route("*", min: "10000")
        #expect(big.matches(businessEventID: "X", legalEntity: "", amount: .unknownYet))
        #expect(big.matches(businessEventID: "X", legalEntity: "", amount: .known(Decimal(string: "10000"))))
        #expect(!big.matches(businessEventID: "X", legalEntity: "", amount: .known(Decimal(string: "9999.99"))))
        #expect(!big.matches(businessEventID: "X", legalEntity: "", amount: .known(nil)))
        let routes = [route("*", min: "10000", id: 1), route("Purchase*", id: 2)]
        #expect(routes.first(for: po, amount: .known(Decimal(5)))?.id == 2)
        #expect(routes.first(for: po, amount: .known(Decimal(50_000)))?.id == 1)
        #expect(routes.first(for: po, amount: .unknownYet)?.id == 1)
    }
}

@Suite("catalog rules read alone")
struct CatalogRuleTests {
    @Test("the rules the intake reads are the full catalog's, with and without overrides")
    func sameAsTheFullCatalog() throws {
        let overrides = try JSONParser.parse(Array(#"""
            {"entries": [{"id": "po-quiet", "event": "PurchaseOrderConfirmedBusinessEvent", "kind": "ignore", "title": "x"},
                         {"id": "workflow-completed", "event": "Workflow_*_Done", "kind": "workflowUpdate", "title": "t",
                          "workItemID": "{event.WorkflowWorkItemInstanceId}"}]}
            """#.utf8))
        for document in [nil, overrides] {
            let rules = try CatalogRule.rules(overriddenBy: document)
            let entries = try EventCatalog.standard.overridden(by: document).entries
            #expect(rules.map(\.id) == entries.map(\.id))
            #expect(rules.map(\.kind) == entries.map(\.kind))
            #expect(rules.map(\.pattern) == entries.map(\.rule.pattern))
        }
    }
}
