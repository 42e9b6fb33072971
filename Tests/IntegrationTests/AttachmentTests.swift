import Core
import Domain
import Foundation
import Testing

/// An invoice card lists the invoice's document attachments (`VendorInvoiceDocumentAttachments`, issue 12): names
/// and types, linked to the invoice's F&O form where they open — the schema gives no URL for an attachment, and no
/// file is ever read or copied into Slack. Real binaries, the sandbox, PostgreSQL.
@Suite("invoice attachments on the card", .serialized, .needsDatabase)
struct AttachmentTests {
    @Test("the approval card links to the invoice's attachments in F&O without reading their contents")
    func attachmentLink() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "Workflow_*_WorkItem", "--approver", "--fallback-channel", "C0APPROVALS")
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice") == 202)
        try h.drain()
        let card = try #require(try h.posts(channel: "D04ALICIADM").first)
        let sections = ((card["blocks"] as? [[String: Any]]) ?? []).compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
        let form = "\(h.sandbox.dynamicsURL)/?cmp=usmf&amp;mi=VendInvoiceInfoListPage"
        #expect(sections.contains("*Attachments* · <\(form)|open them in Dynamics 365>\n• Fabrikam invoice INV-88213 (pdf)"))

        let reads = try h.sandbox.requests().filter { ($0["path"] as? String ?? "").contains("VendorInvoiceDocumentAttachments") }
        #expect(reads.count == 1)
        let query = (reads.first?["query"] as? String ?? "").removingPercentEncoding ?? ""
        #expect(query.contains("$select=FileName,FileType,Name"), "only what the card shows: \(query)")
        #expect(!query.contains("FileContents"))
    }

    @Test("an invoice without attachments gets no attachment section")
    func noAttachments() throws {
        let h = try DeliveryHarness()
        try h.route("--event", "Workflow_*_WorkItem", "--approver", "--fallback-channel", "C0APPROVALS")
        try h.sandbox.putEntity("VendorInvoiceHeaders", """
            {"dataAreaId":"usmf","HeaderReference":"USMF-VI-000419","InvoiceNumber":"INV-90001","InvoiceAccount":"US-104",
             "VendorAccount":"US-104","VendorName":"Fabrikam Supplies","Currency":"USD","ImportedAmount":980.25}
            """)
        #expect(try h.deliver(fixture: "workflow-work-item-vendor-invoice", replacing: [("USMF-VI-000418", "USMF-VI-000419")]) == 202)
        try h.drain()
        let card = try #require(try h.posts(channel: "D04ALICIADM").first)
        #expect(!DeliveryHarness.allText(card).contains("Attachments"))
        #expect(DeliveryHarness.allText(card).contains("USMF-VI-000419"))
    }
}
