import ArgumentParser
import Core
import Domain
import Outbound
import Jobs

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Master key maintenance.",
        discussion: """
            Example: MLC_MASTER_KEY_PREVIOUS=<old key> MLC_MASTER_KEY=<new key> ml-connector keys rotate
            """,
        subcommands: [Rotate.self])

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every secret under MLC_MASTER_KEY (set MLC_MASTER_KEY_PREVIOUS to the old key).",
            discussion: """
                Every connection secret and cached access token is opened with either key and sealed again under \
                MLC_MASTER_KEY; a cached token that neither key opens is dropped (fetched again when needed). Run it \
                after deploying the new key everywhere, with the old one still set as MLC_MASTER_KEY_PREVIOUS; then \
                remove MLC_MASTER_KEY_PREVIOUS.

                Example: MLC_MASTER_KEY_PREVIOUS=<old key> MLC_MASTER_KEY=<new key> ml-connector keys rotate
                """)

        func run() throws {
            let context = try CLIContext(KeyedConfiguration.self)
            let db = try context.connect()
            let keys = context.loaded.masterKeys
            let box = context.loaded.secretBox
            let count = try reporting { try ConnectionStore(db).resealAll(box: box, currentKeyID: keys.current.id) }
            let tokens = try reporting { try AccessTokenStore.resealAll(in: db, box: box, currentKeyID: keys.current.id) }
            print("re-encrypted \(count) secret(s) and \(tokens.resealed) cached access token(s) under key \(keys.current.id)"
                  + (tokens.dropped > 0 ? "; \(tokens.dropped) token(s) no key opens were dropped (fetched again when needed)" : ""))
        }
    }
}
