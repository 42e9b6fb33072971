import Core
import Domain
import Testing

/// Unix seconds of a UTC date and time.
private func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Int64 {
    Int64(CivilDate.days(year: year, month: month, day: day)) * 86_400 + Int64(hour * 3600 + minute * 60)
}

private func points(_ names: String...) -> [ReminderPoint] {
    names.compactMap(ReminderPoint.init)
}

@Suite("reminder points and quiet hours")
struct ReminderSettingsTests {
    @Test("points parse to seconds before the due time", arguments: [
        ("due", 0), ("24h", 86_400), ("2h", 7_200), ("90m", 5_400), ("2d", 172_800), (" 1H ", 3_600), ("30d", 2_592_000),
    ] as [(String, Int64)])
    func pointParses(text: String, seconds: Int64) throws {
        #expect(try #require(ReminderPoint(text)).secondsBefore == seconds)
    }

    @Test("malformed points are refused", arguments: ["", "h", "0h", "-2h", "2", "2w", "1.5h", "31d", "+2h", "2 h", "due2", "9999999999999999999h"])
    func pointRefused(text: String) {
        #expect(ReminderPoint(text) == nil)
    }

    @Test("a point's name is canonical") func pointNames() {
        #expect(points("24h", "2h", "due", "90m", "120m").map(\.description) == ["1d", "2h", "due", "90m", "2h"])
    }

    @Test("quiet hours parse, wrapping midnight or not") func quietParses() throws {
        let night = try #require(QuietHours("20:00-08:00"))
        #expect(night.start == 1200 && night.end == 480 && night.description == "20:00-08:00")
        let lunch = try #require(QuietHours("12:30-13:15"))
        #expect(lunch.start == 750 && lunch.end == 795)
    }

    @Test("malformed quiet hours are refused", arguments: ["", "20:00", "20:00-20:00", "24:00-08:00", "20:60-08:00", "8:00-20:00",
                                                          "20:00-08:00-09:00", "aa:bb-cc:dd", "20-08", "+1:00-08:00"])
    func quietRefused(text: String) {
        #expect(QuietHours(text) == nil)
    }

    @Test("the end of the quiet period holding a time, in the person's zone") func quietEnd() throws {
        let night = try #require(QuietHours("20:00-08:00"))
        // UTC person: 22:00 → 08:00 next day; 03:00 → 08:00 same day; 08:00 and 12:00 and 19:59 are not quiet.
        #expect(night.end(containing: utc(2026, 12, 2, 22), utcOffset: 0) == utc(2026, 12, 3, 8))
        #expect(night.end(containing: utc(2026, 12, 2, 3), utcOffset: 0) == utc(2026, 12, 2, 8))
        #expect(night.end(containing: utc(2026, 12, 2, 20), utcOffset: 0) == utc(2026, 12, 3, 8))
        for hour in [8, 12] { #expect(night.end(containing: utc(2026, 12, 2, hour), utcOffset: 0) == nil) }
        #expect(night.end(containing: utc(2026, 12, 2, 19, 59), utcOffset: 0) == nil)
        #expect(night.end(containing: utc(2026, 12, 2, 7, 59), utcOffset: 0) == utc(2026, 12, 2, 8))
        // New York (-5 h): 14:00 UTC is 09:00 there; 02:00 UTC is 21:00 there → 08:00 local = 13:00 UTC.
        #expect(night.end(containing: utc(2026, 12, 2, 14), utcOffset: -18_000) == nil)
        #expect(night.end(containing: utc(2026, 12, 2, 2), utcOffset: -18_000) == utc(2026, 12, 2, 13))
        // Tokyo (+9 h): 13:00 UTC is 22:00 there → 08:00 local next day = 23:00 UTC.
        #expect(night.end(containing: utc(2026, 12, 2, 13), utcOffset: 32_400) == utc(2026, 12, 2, 23))
        // A daytime period that does not wrap.
        let lunch = try #require(QuietHours("12:00-13:00"))
        #expect(lunch.end(containing: utc(2026, 12, 2, 12, 30), utcOffset: 0) == utc(2026, 12, 2, 13))
        #expect(lunch.end(containing: utc(2026, 12, 2, 13), utcOffset: 0) == nil)
        // Before 1970 too (floor division).
        #expect(night.end(containing: -3_600, utcOffset: 0) == Int64(8 * 3_600))
    }
}

@Suite("reminder schedule")
struct ReminderScheduleTests {
    let standard = ReminderSettings(points: points("24h", "2h", "due"), quietHours: QuietHours("20:00-08:00"))

    func schedule(due: Int64, now: Int64, offset: Int = 0, settings: ReminderSettings? = nil) -> [String] {
        ReminderSchedule.reminders(due: due, settings: settings ?? standard, now: now, utcOffset: offset).map {
            "\($0.point) \(ReminderPoint.utcText($0.runAt))"
        }
    }

    @Test("each point at its time, in time order, when none is in quiet hours") func plain() {
        #expect(schedule(due: utc(2026, 12, 4, 15), now: utc(2026, 12, 2, 9)) == [
            "1d 2026-12-03 15:00 UTC", "2h 2026-12-04 13:00 UTC", "due 2026-12-04 15:00 UTC",
        ])
    }

    @Test("no points: no reminders") func off() {
        #expect(schedule(due: utc(2026, 12, 4, 15), now: utc(2026, 12, 2, 9), settings: .off).isEmpty)
    }

    @Test("points already past are skipped") func past() {
        #expect(schedule(due: utc(2026, 12, 4, 15), now: utc(2026, 12, 4, 12)) == ["2h 2026-12-04 13:00 UTC", "due 2026-12-04 15:00 UTC"])
        #expect(schedule(due: utc(2026, 12, 4, 15), now: utc(2026, 12, 4, 14)) == ["due 2026-12-04 15:00 UTC"])
        #expect(schedule(due: utc(2026, 12, 4, 15), now: utc(2026, 12, 4, 15, 1)).isEmpty)
        #expect(schedule(due: utc(2026, 12, 4, 15), now: utc(2026, 12, 4, 15)) == ["due 2026-12-04 15:00 UTC"], "a point at now is due")
    }

    @Test("a point in quiet hours moves to their end") func quiet() {
        // Due 09:00 UTC: 2h → 07:00, quiet → 08:00; the day before 09:00 is fine.
        #expect(schedule(due: utc(2026, 12, 4, 9), now: utc(2026, 12, 2, 9)) == [
            "1d 2026-12-03 09:00 UTC", "2h 2026-12-04 08:00 UTC", "due 2026-12-04 09:00 UTC",
        ])
        // Due 23:00 UTC: the due point itself moves to the next morning — never skipped for the night — and the 2h
        // point (21:00, also moved there) is one with it.
        #expect(schedule(due: utc(2026, 12, 4, 23), now: utc(2026, 12, 2, 9)) == ["1d 2026-12-04 08:00 UTC", "due 2026-12-05 08:00 UTC"])
    }

    @Test("points that land on one morning are one reminder, the one nearest the due time") func collapse() {
        // Due 07:00 UTC: 2h (05:00) and due (07:00) both move to 08:00 → only "due"; 1d (07:00 the day before) → 08:00.
        #expect(schedule(due: utc(2026, 12, 4, 7), now: utc(2026, 12, 2, 9)) == ["1d 2026-12-03 08:00 UTC", "due 2026-12-04 08:00 UTC"])
        // Due 21:00 UTC: 2h at 19:00 stays, due moves to 08:00 the next day.
        #expect(schedule(due: utc(2026, 12, 4, 21), now: utc(2026, 12, 2, 9)) == [
            "1d 2026-12-04 08:00 UTC", "2h 2026-12-04 19:00 UTC", "due 2026-12-05 08:00 UTC",
        ])
    }

    @Test("quiet hours are the approver's local hours") func timeZones() {
        // Due 15:00 UTC; Tokyo (+9): that is 00:00 there → 08:00 local = 23:00 UTC; the 2h point (13:00 UTC, 22:00
        // local) moves there too, so the two are one: "due" at 23:00 UTC. 1d: 00:00 local the day before → 23:00 UTC.
        #expect(schedule(due: utc(2026, 12, 4, 15), now: utc(2026, 12, 2, 9), offset: 32_400) == [
            "1d 2026-12-03 23:00 UTC", "due 2026-12-04 23:00 UTC",
        ])
        // New York (-5): 15:00 UTC is 10:00 there, 13:00 UTC 08:00: nothing moves.
        #expect(schedule(due: utc(2026, 12, 4, 15), now: utc(2026, 12, 2, 9), offset: -18_000) == [
            "1d 2026-12-03 15:00 UTC", "2h 2026-12-04 13:00 UTC", "due 2026-12-04 15:00 UTC",
        ])
    }

    @Test("a point given twice is one reminder") func duplicates() {
        let settings = ReminderSettings(points: points("2h", "120m", "due"), quietHours: nil)
        #expect(schedule(due: utc(2026, 12, 4, 15), now: utc(2026, 12, 2, 9), settings: settings) == [
            "2h 2026-12-04 13:00 UTC", "due 2026-12-04 15:00 UTC",
        ])
    }

    @Test("without quiet hours nothing moves") func noQuiet() {
        let settings = ReminderSettings(points: points("2h", "due"), quietHours: nil)
        #expect(schedule(due: utc(2026, 12, 4, 3), now: utc(2026, 12, 2, 9), settings: settings) == [
            "2h 2026-12-04 01:00 UTC", "due 2026-12-04 03:00 UTC",
        ])
    }

    @Test("every schedule: in time order, outside quiet hours, not before now, at most one per point",
          arguments: Array(0..<48))
    func properties(hour: Int) throws {
        let quiet = try #require(QuietHours("20:00-08:00"))
        let settings = ReminderSettings(points: points("3d", "24h", "4h", "2h", "30m", "due"), quietHours: quiet)
        let now = utc(2026, 12, 2, 9)
        for offset in [-36_000, -18_000, 0, 3_600, 19_800, 32_400, 46_800] {
            let due = now + Int64(hour) * 3_600 + 1_234
            let reminders = ReminderSchedule.reminders(due: due, settings: settings, now: now, utcOffset: offset)
            #expect(reminders.map(\.runAt) == reminders.map(\.runAt).sorted())
            #expect(Set(reminders.map(\.runAt)).count == reminders.count)
            for reminder in reminders {
                #expect(reminder.runAt >= now)
                #expect(quiet.end(containing: reminder.runAt, utcOffset: offset) == nil, "\(reminder) at offset \(offset)")
                #expect(reminder.runAt >= due - reminder.point.secondsBefore, "never earlier than its point")
            }
            // The nearest point ahead of now always gets a reminder (nothing that is due is lost to collapsing).
            if due >= now { #expect(reminders.last?.point == ReminderPoint("due")) }
        }
    }

    @Test("the reminder's words") func message() throws {
        let due = utc(2026, 12, 4, 15)
        let twoHours = try #require(ReminderPoint("2h"))
        #expect(twoHours.message(due: due, now: due - 7_200) == ":alarm_clock: Reminder: this approval is due in about 2 hours (due 2026-12-04 15:00 UTC).")
        #expect(twoHours.message(due: due, now: due - 86_400) == ":alarm_clock: Reminder: this approval is due in about 24 hours (due 2026-12-04 15:00 UTC).")
        #expect(twoHours.message(due: due, now: due - 3 * 86_400) == ":alarm_clock: Reminder: this approval is due in about 3 days (due 2026-12-04 15:00 UTC).")
        #expect(twoHours.message(due: due, now: due - 1_800) == ":alarm_clock: Reminder: this approval is due in about 30 minutes (due 2026-12-04 15:00 UTC).")
        #expect(twoHours.message(due: due, now: due) == ":alarm_clock: Reminder: this approval is due now (due 2026-12-04 15:00 UTC).")
        #expect(twoHours.message(due: due, now: due + 36_000) == ":alarm_clock: Reminder: this approval is overdue (due 2026-12-04 15:00 UTC).")
    }
}

@Suite("reminders in the catalog")
struct CatalogReminderTests {
    @Test("the standard catalog reminds no one; an override sets the points and quiet hours") func overrides() throws {
        #expect(EventCatalog.standard.reminders.points.isEmpty)
        let catalog = try EventCatalog.standard.overridden(by: try JSONParser.parse(
            #"{"reminders": {"points": ["24h", "2h", "due"], "quietHours": "21:30-07:00"}}"#.utf8))
        #expect(catalog.reminders == ReminderSettings(points: points("24h", "2h", "due"), quietHours: QuietHours("21:30-07:00")))
        #expect(catalog.entries.count == EventCatalog.standard.entries.count)
        let anyTime = try EventCatalog.standard.overridden(by: try JSONParser.parse(#"{"reminders": {"points": ["due"]}}"#.utf8))
        #expect(anyTime.reminders.quietHours == nil)
        let document = try EventCatalog.effectiveDocument(overriddenBy: try JSONParser.parse(#"{"reminders": {"points": ["2h"]}}"#.utf8))
        #expect(document["reminders"]?["points"] == .array([.string("2h")]))
    }

    @Test("a wrong setting is refused with its place", arguments: [
        (#"{"reminders": {"points": ["2w"]}}"#, "reminders.points[0]: expected \"due\""),
        (#"{"reminders": {"points": ["2h", "120m"]}}"#, "reminders.points[1]: point 2h is given twice"),
        (#"{"reminders": {"points": ["2h"], "quietHours": "20-08"}}"#, "reminders.quietHours: expected local hours"),
        (#"{"reminders": {"point": ["2h"]}}"#, "reminders: unknown member \"point\""),
        (#"{"reminders": ["2h"]}"#, "reminders: expected an object"),
    ])
    func refused(json: String, message: String) throws {
        #expect {
            _ = try EventCatalog.standard.overridden(by: try JSONParser.parse(json.utf8))
        } throws: { error in
            (error as? CatalogError)?.message.hasPrefix(message) == true
        }
    }
}
