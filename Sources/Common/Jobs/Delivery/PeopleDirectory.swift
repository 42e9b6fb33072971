import Core
import Domain
import Outbound

/// F&O people (by email) to Slack users, through `users.lookupByEmail`, cached in PostgreSQL: found for a day,
/// not found for an hour (so a person who joins Slack is picked up soon).
struct PeopleDirectory {
    static let foundSeconds = 86_400
    static let notFoundSeconds = 3_600

    let users: SlackUserStore
    let slack: SlackClient

    func slackUser(email: String) throws -> String? {
        let key = email.lowercased()
        if let cached = try users.cached(email: key) { return cached }
        let user = try slack.lookupUser(email: key)
        try users.store(email: key, slackUserID: user, forSeconds: user == nil ? Self.notFoundSeconds : Self.foundSeconds)
        return user
    }
}
