import ArgumentParser
import Core
import Domain
import Outbound
import Jobs

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Master key maintenance.", subcommands: [Rotate.self])

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every secret under MLC_MASTER_KEY (set MLC_MASTER_KEY_PREVIOUS to the old key).")

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
