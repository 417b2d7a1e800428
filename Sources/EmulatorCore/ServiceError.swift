/// An error answered in AWS's awsJson shape: `{"__type": code, "Message": message}` with an
/// HTTP status (400 for everything the caller did, 5xx for injected server faults).
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var status: Int

    public init(_ code: String, _ message: String, status: Int = 400) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var description: String { "\(code): \(message)" }

    public var body: JSON { .object([("__type", .string(code)), ("Message", .string(message))]) }

    public static func invalidParameters(_ m: String) -> ServiceError { ServiceError("InvalidParametersException", m) }
    public static func notFound(_ m: String) -> ServiceError { ServiceError("ResourceNotFoundException", m) }
    public static func invalidState(_ m: String) -> ServiceError { ServiceError("InvalidStateException", m) }
    public static func serialization(_ m: String) -> ServiceError { ServiceError("SerializationException", m) }
}
