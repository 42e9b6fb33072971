import Core

extension CardRenderer {
    /// What a digest shows of the card `entry` makes for the event in `context`: the title and summary as on the
    /// card (escaped), the link to the document's F&O form, and the amount and currency.
    public func digestItem(_ entry: CatalogEntry, context: TemplateContext) -> DigestItem {
        var context = context
        context.dimensionFormat = dimensionFormat
        return DigestItem(title: entry.title.render(in: context, escaped: true) ?? SlackText.escape(entry.id),
                          summary: entry.card.summary?.render(in: context, escaped: true),
                          link: url(legalEntity: context.legalEntity, menuItem: entry.menuItem),
                          amount: entry.amount?.value(in: context)?.decimalValue,
                          currency: entry.currency?.render(in: context))
    }
}
