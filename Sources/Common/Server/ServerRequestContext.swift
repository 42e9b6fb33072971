public import Hummingbird
public import NIOCore

/// The request context of `ml-connector-server`: Hummingbird's basic one plus the connection's channel, so that a
/// request refused with 413 can end its connection instead of the rest of its body being read.
public struct ServerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
