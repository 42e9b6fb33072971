import Core

/// What a catalog entry's card shows, as templates (see `Template`). The renderer lays it out as: header (the
/// entry's title), an optional note, the summary, the fields (two columns, ten per section), the line list, the
/// attachment list (linked to the document's F&O form), a link to F&O and, for approvals, the Approve / Reject
/// buttons. Fields and texts whose templates have no value are left
/// out, so a card renders whatever is known.
public struct CardTemplate: Sendable {
    /// A labelled value: `*Vendor*` / `Fabrikam Supplies (US-104)`.
    public struct Field: Sendable {
        /// Plain text from the catalog (escaped when shown).
        public let label: String
        public let value: Template
    }

    /// The rows of a collection (document lines, payment lines), one bullet each, at most `limit` of them and then
    /// `and N more`. `item` sees the row as `line` (`{line.ItemNumber}`); rows whose item has no value are skipped.
    public struct LineList: Sendable {
        public let title: String?
        public let rows: Template
        public let item: Template
        public let limit: Int
    }

    /// The message's plain-text fallback (notifications, screen readers); the title when absent or without value.
    public let text: Template?
    /// A mrkdwn paragraph under the header.
    public let summary: Template?
    public let fields: [Field]
    public let lines: LineList?
    /// The document's attachments (names and types, never their contents), one bullet each, linked to the
    /// document's F&O form where they open: F&O's attachment entities carry no URL of their own.
    public let attachments: LineList?

    static let defaultLineLimit = 5
    static let empty = CardTemplate(text: nil, summary: nil, fields: [], lines: nil, attachments: nil)

    private init(text: Template?, summary: Template?, fields: [Field], lines: LineList?, attachments: LineList?) {
        self.text = text
        self.summary = summary
        self.fields = fields
        self.lines = lines
        self.attachments = attachments
    }

    init(json: CatalogJSON) throws(CatalogError) {
        let json = try json.object(allowing: ["text", "summary", "fields", "lines", "attachments"])
        text = try json.member("text")?.template()
        summary = try json.member("summary")?.template()
        var fields: [Field] = []
        for element in try json.member("fields")?.elements() ?? [] {
            let field = try element.object(allowing: ["label", "value"])
            fields.append(Field(label: try field.required("label").string(), value: try field.required("value").template()))
        }
        self.fields = fields
        lines = try json.member("lines").map(Self.lineList)
        attachments = try json.member("attachments").map(Self.lineList)
    }

    private static func lineList(_ json: CatalogJSON) throws(CatalogError) -> LineList {
        let list = try json.object(allowing: ["title", "rows", "item", "limit"])
        return LineList(title: try list.member("title")?.string(), rows: try list.required("rows").template(),
                        item: try list.required("item").template(), limit: try list.member("limit")?.positiveInt() ?? defaultLineLimit)
    }

    /// The line lists by their member name: `lines`, `attachments`.
    var lineLists: [(member: String, list: LineList)] {
        [("lines", lines), ("attachments", attachments)].compactMap { member, list in list.map { (member, $0) } }
    }

    /// Every template, with the rows of the line list whose `item` it is (which sees a row as `line`), for
    /// checking the names they use and deriving `$select`.
    var templates: [(template: Template, lineRows: Template?)] {
        var all: [(template: Template, lineRows: Template?)] = [text, summary].compactMap { $0.map { ($0, nil) } }
            + fields.map { ($0.value, nil) }
        for (_, list) in lineLists { all += [(list.rows, nil), (list.item, list.rows)] }
        return all
    }
}
