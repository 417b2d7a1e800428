import Crypto
import Synchronization

/// HMAC-SHA256 of `message` under `key`.
func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
    Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
}

/// Lowercase hexadecimal of a digest, read in place.
func hexEncoded(digest: SHA256Digest) -> String {
    digest.withUnsafeBytes { hexEncoded(buffer: $0.bindMemory(to: UInt8.self)) }
}

/// Lowercase hexadecimal of a MAC, read in place.
func hexEncoded(digest: HashedAuthenticationCode<SHA256>) -> String {
    digest.withUnsafeBytes { hexEncoded(buffer: $0.bindMemory(to: UInt8.self)) }
}

/// SHA-256 of `bytes`, as lowercase hex.
func sha256Hex(_ bytes: [UInt8]) -> String {
    hexEncoded(digest: SHA256.hash(data: bytes))
}

func sha256Hex(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    hexEncoded(digest: SHA256.hash(data: UnsafeRawBufferPointer(bytes)))
}

/// The SigV4 key derivation: `AWS4<secret>` → date → region → service → `aws4_request`.
func deriveSigningKey(secretAccessKey: String, dateStamp: String, region: String, service: String) -> [UInt8] {
    let kDate = hmacSHA256(key: Array(("AWS4" + secretAccessKey).utf8), message: Array(dateStamp.utf8))
    let kRegion = hmacSHA256(key: kDate, message: Array(region.utf8))
    let kService = hmacSHA256(key: kRegion, message: Array(service.utf8))
    return hmacSHA256(key: kService, message: Array("aws4_request".utf8))
}

/// Derived signing keys, one per (secret, day, region, service), shared by every signer in the
/// process. A key is valid for one UTC day, so the cache stays tiny; when it reaches `limit`
/// entries it is emptied rather than tracked entry by entry.
///
/// The cache holds secrets only in memory and never prints them (it has no description).
final class SigningKeyCache: Sendable {
    struct Key: Hashable, Sendable {
        var secretAccessKey: String
        var dateStamp: String
        var region: String
        var service: String
    }

    struct Statistics: Sendable, Equatable {
        var hits = 0
        var misses = 0
        var entries = 0
    }

    private struct State {
        var keys: [Key: [UInt8]] = [:]
        /// HMAC already keyed with a derived key (its padded key blocks hashed), by key bytes.
        var prepared: [[UInt8]: HMAC<SHA256>] = [:]
        /// The entry used last: a run signs thousands of requests with one key, and comparing
        /// against it is far cheaper than hashing four strings for the dictionary.
        var last: (key: Key, bytes: [UInt8])?
        var lastPrepared: (bytes: [UInt8], hmac: HMAC<SHA256>)?
        var hits = 0
        var misses = 0
    }

    static let shared = SigningKeyCache()

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int = 64) {
        self.limit = max(1, limit)
    }

    func signingKey(secretAccessKey: String, dateStamp: String, region: String, service: String) -> [UInt8] {
        let key = Key(secretAccessKey: secretAccessKey, dateStamp: dateStamp, region: region, service: service)
        let cached: [UInt8]? = state.withLock { state in
            if let last = state.last, last.key == key {
                state.hits += 1
                return last.bytes
            }
            if let found = state.keys[key] {
                state.hits += 1
                state.last = (key, found)
                return found
            }
            state.misses += 1
            return nil
        }
        if let cached { return cached }
        // Derive outside the lock; two threads racing on the same key compute the same bytes.
        let derived = deriveSigningKey(secretAccessKey: secretAccessKey, dateStamp: dateStamp, region: region, service: service)
        state.withLock { state in
            if state.keys.count >= limit { state.keys.removeAll(keepingCapacity: true) }
            state.keys[key] = derived
            state.last = (key, derived)
        }
        return derived
    }

    /// `HMAC-SHA256` keyed with `signingKey`, ready for a message: the key set-up is done
    /// once per key instead of once per signature.
    func keyedHMAC(_ signingKey: [UInt8]) -> HMAC<SHA256> {
        let found: HMAC<SHA256>? = state.withLock { state in
            if let last = state.lastPrepared, last.bytes == signingKey { return last.hmac }
            guard let hmac = state.prepared[signingKey] else { return nil }
            state.lastPrepared = (signingKey, hmac)
            return hmac
        }
        if let found { return found }
        let made = HMAC<SHA256>(key: SymmetricKey(data: signingKey))
        state.withLock { state in
            if state.prepared.count >= limit { state.prepared.removeAll(keepingCapacity: true) }
            state.prepared[signingKey] = made
            state.lastPrepared = (signingKey, made)
        }
        return made
    }

    var statistics: Statistics {
        state.withLock { Statistics(hits: $0.hits, misses: $0.misses, entries: $0.keys.count) }
    }
}
