/// An OData entity set the sandbox serves: its key, whether it belongs to a company, whether it is read-only,
/// and its navigation properties.
struct EntitySet: Sendable {
    /// A navigation property whose records live in another entity set, linked by equal field values.
    struct Navigation: Sendable {
        let name: String
        let targetSet: String
        let linkFields: [String]
    }

    let name: String
    /// Key fields in order; empty for sets that can only be read as a collection.
    let keys: [String]
    let isReadOnly: Bool
    let navigations: [Navigation]

    init(_ name: String, keys: [String], isReadOnly: Bool = false, navigations: [Navigation] = []) {
        self.name = name
        self.keys = keys
        self.isReadOnly = isReadOnly
        self.navigations = navigations
    }

    /// Company-specific sets carry `dataAreaId` and are filtered to the default company without `cross-company=true`.
    var isCompanySpecific: Bool { keys.contains("dataAreaId") }

    func navigation(named name: String) -> Navigation? {
        navigations.first { $0.name == name }
    }

    /// The default company of the sandbox's service account, as in a fresh F&O environment.
    static let defaultCompany = "dat"

    static let all: [EntitySet] = [
        EntitySet("PurchaseOrderHeadersV2", keys: ["dataAreaId", "PurchaseOrderNumber"], navigations: [
            Navigation(name: "PurchaseOrderLinesV2", targetSet: "PurchaseOrderLinesV2", linkFields: ["dataAreaId", "PurchaseOrderNumber"]),
        ]),
        EntitySet("PurchaseOrderLinesV2", keys: ["dataAreaId", "PurchaseOrderNumber", "LineNumber"]),
        EntitySet("VendorsV2", keys: ["dataAreaId", "VendorAccountNumber"]),
        EntitySet("VendInvoiceJourBiEntities", keys: ["dataAreaId", "SourceKey"], isReadOnly: true),
        EntitySet("VendorInvoiceHeaders", keys: ["dataAreaId", "HeaderReference"], navigations: [
            Navigation(name: "VendorInvoiceLines", targetSet: "VendorInvoiceLines", linkFields: ["dataAreaId", "HeaderReference"]),
        ]),
        EntitySet("VendorInvoiceLines", keys: ["dataAreaId", "HeaderReference", "InvoiceLineNumber"]),
        EntitySet("VendorPaymentJournalLines", keys: ["dataAreaId", "JournalBatchNumber", "LineNumber"]),
        EntitySet("Workers", keys: ["PersonnelNumber"]),
        EntitySet("WorkflowWorkItems", keys: ["Id"]),
        EntitySet("DimensionIntegrationFormats", keys: []),
    ]

    static func named(_ name: String) -> EntitySet? {
        all.first { $0.name == name }
    }
}
