public import Logging

/// The configuration of a binary that opens or seals secrets: `MLC_MASTER_KEY` is required.
public struct KeyedConfiguration: LoadableConfiguration, Sendable {
    public let configuration: Configuration
    public let masterKeys: MasterKeys

    public static func load(from environment: Environment) throws(ConfigurationError) -> KeyedConfiguration {
        try Configuration.load(from: environment).keyed()
    }

    public var logLevel: Logger.Level { configuration.logLevel }
    public var maxRequests: Int { configuration.maxRequests }

    /// Seals and opens secrets with the master keys.
    public var secretBox: SecretBox { SecretBox(keys: masterKeys) }

    init(configuration: Configuration, masterKeys: MasterKeys) {
        self.configuration = configuration
        self.masterKeys = masterKeys
    }
}

extension Configuration {
    /// This configuration with the master keys it must have.
    public func keyed() throws(ConfigurationError) -> KeyedConfiguration {
        guard let masterKeys else { throw .missing("MLC_MASTER_KEY") }
        return KeyedConfiguration(configuration: self, masterKeys: masterKeys)
    }
}
