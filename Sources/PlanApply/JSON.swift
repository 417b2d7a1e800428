// Service responses are read with PlanJSON, the JSON value type the emulator uses too.
@_exported import PlanJSON

public typealias ResponseJSON = JSON
public typealias ResponseJSONError = JSONParseError

/// Writes a JSON string with minimal escaping (for result objects).
func appendJSONString(_ s: String, to out: inout String) {
    var bytes: [UInt8] = []
    JSON.writeString(s, into: &bytes)
    out += String(decoding: bytes, as: UTF8.self)
}
