import Foundation
import PlanCore
import Testing

/// The published JSON Schema names exactly the keys the IR knows (a schema that drifts from
/// the model would mislead every editor using it).
@Suite struct SchemaTests {
    let schema: [String: Any] = {
        let data = FileManager.default.contents(atPath: PlanCC.root + "/schemas/plan-spec.schema.json")!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    @Test func topLevelKeysMatchTheModel() throws {
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(RequestMember.allCases.map(\.rawValue)))
        let required = try #require(schema["required"] as? [String])
        #expect(Set(required) == Set(RequestMember.required.map(\.rawValue)))
        #expect(schema["additionalProperties"] as? Bool == false)
        #expect(schema["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
    }

    @Test func listFormsMatchTheModel() throws {
        let properties = try #require(schema["properties"] as? [String: Any])
        func listItemKeys(_ member: String) throws -> Set<String> {
            let forms = try #require((properties[member] as? [String: Any])?["oneOf"] as? [[String: Any]])
            let list = try #require(forms.first { $0["type"] as? String == "array" })
            let items = try #require(list["items"] as? [String: Any])
            return Set(try #require(items["properties"] as? [String: Any]).keys)
        }
        let tagKeys = try listItemKeys("Tags")
        #expect(tagKeys == Set(TagMember.allCases.map(\.rawValue)))
        let parameterKeys = try listItemKeys("ProvisioningParameters")
        #expect(parameterKeys == Set(ParameterMember.allCases.map(\.rawValue)))
    }

    @Test func everyMemberHasADescription() throws {
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        for (name, p) in properties {
            #expect((p["description"] as? String)?.isEmpty == false, "\(name)")
        }
    }
}
