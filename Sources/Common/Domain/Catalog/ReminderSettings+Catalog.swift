import Core

extension ReminderSettings {
    /// The catalog's `"reminders"` member: `{"points": ["24h", "2h", "due"], "quietHours": "20:00-08:00"}`; both
    /// optional (no points: no reminders; no quiet hours: any time of day).
    init(json: CatalogJSON) throws(CatalogError) {
        let object = try json.object(allowing: ["points", "quietHours"])
        var points: [ReminderPoint] = []
        for element in try object.member("points")?.elements() ?? [] {
            guard let point = ReminderPoint(try element.string()) else {
                throw element.error("expected \"due\" or a time before it such as \"24h\", \"90m\" or \"2d\" (at most 30 days)")
            }
            guard !points.contains(point) else { throw element.error("point \(point) is given twice") }
            points.append(point)
        }
        var quietHours: QuietHours?
        if let member = object.member("quietHours"), member.value != .null {
            guard let parsed = QuietHours(try member.string()) else {
                throw member.error("expected local hours \"HH:MM-HH:MM\", e.g. \"20:00-08:00\" (start and end differ)")
            }
            quietHours = parsed
        }
        self.init(points: points, quietHours: quietHours)
    }
}
