import PlanApply
import Testing

@Suite struct ChangeRenderingTests {
    func change(_ json: String) throws -> PlannedChange {
        try #require(PlannedChange(json: try ResponseJSON.parse(Array(json.utf8))))
    }

    @Test func kindsAndLines() throws {
        let add = try change(#"{"Action":"ADD","LogicalResourceId":"Queue","ResourceType":"AWS::SQS::Queue","Details":[],"Scope":[]}"#)
        #expect(add.kind == .add)
        #expect(add.rendered == "  + AWS::SQS::Queue Queue")

        let modify = try change(#"""
            {"Action":"MODIFY","LogicalResourceId":"Fn","PhysicalResourceId":"p","ResourceType":"AWS::Lambda::Function",
             "Replacement":"FALSE","Scope":["PROPERTIES","TAGS"],
             "Details":[{"Target":{"Attribute":"PROPERTIES","Name":"BatchSize","RequiresRecreation":"NEVER"},"Evaluation":"STATIC"},
                        {"Target":{"Attribute":"TAGS","Name":"Tags","RequiresRecreation":"NEVER"}}]}
            """#)
        #expect(modify.kind == .modify)
        #expect(modify.rendered == "  ~ AWS::Lambda::Function Fn (BatchSize, Tags)")

        let replace = try change(#"""
            {"Action":"MODIFY","LogicalResourceId":"Bucket","ResourceType":"AWS::S3::Bucket","Replacement":"True",
             "Details":[{"Target":{"Attribute":"PROPERTIES","Name":"BucketName","RequiresRecreation":"ALWAYS"}}]}
            """#)
        #expect(replace.kind == .replace)
        #expect(replace.rendered == "-/+ AWS::S3::Bucket Bucket (BucketName; forces replacement)")

        let conditional = try change(#"{"Action":"MODIFY","LogicalResourceId":"Asg","ResourceType":"AWS::AutoScaling::AutoScalingGroup","Replacement":"CONDITIONAL"}"#)
        #expect(conditional.kind == .modify)
        #expect(conditional.rendered == "  ~ AWS::AutoScaling::AutoScalingGroup Asg (may force replacement)")

        let remove = try change(#"{"Action":"REMOVE","LogicalResourceId":"Eip","ResourceType":"AWS::EC2::EIP"}"#)
        #expect(remove.kind == .remove)
        #expect(remove.rendered == "  - AWS::EC2::EIP Eip")

        let counts = ChangeCounts([add, modify, replace, conditional, remove])
        #expect(counts == ChangeCounts(add: 1, modify: 2, replace: 1, remove: 1))
        #expect(counts.compact == "+1 ~2 -/+1 -1")
        #expect(counts.sentence == "1 to add, 2 to change, 1 to replace, 1 to remove")
        #expect(PlannedChange(json: .object([("Action", .string("ADD"))])) == nil)
    }

    @Test func noChangeMessages() {
        #expect(isNoChangeMessage("No updates are to be performed."))
        #expect(isNoChangeMessage("The submitted information didn't contain changes. Submit different information to create a change set."))
        #expect(isNoChangeMessage("  No updates are to be performed.\n"))
        #expect(!isNoChangeMessage("Template format error"))
        #expect(!isNoChangeMessage(nil))
        #expect(!isNoChangeMessage(""))
    }

    func result(_ status: SpecStatus, _ changes: [PlannedChange] = []) -> SpecResult {
        let spec = ApplySpec(file: "a.yaml", documentIndex: 0, line: 1, provisionedProductName: "pp", planName: "p",
                             productId: "prod-1", request: .object([]), token: "t", pathId: nil)
        var r = SpecResult(spec: spec, status: status)
        r.changes = changes
        return r
    }

    @Test func summary() {
        let a = PlannedChange(action: "ADD", logicalResourceId: "A", resourceType: "T")
        let m = PlannedChange(action: "MODIFY", logicalResourceId: "M", resourceType: "T", replacement: "FALSE")
        let r = PlannedChange(action: "REMOVE", logicalResourceId: "R", resourceType: "T")
        var results = Array(repeating: result(.planned, [a, a]), count: 7)
        results.append(result(.planned, Array(repeating: m, count: 3)))
        results.append(result(.planned, [r]))
        results += [result(.noChange), result(.noChange), result(.failed)]
        #expect(summaryLine(results) == "12 specs: 9 planned (+14 ~3 -1), 2 no change, 1 failed")
        #expect(summaryLine([result(.executed, [a]), result(.notStarted), result(.inProgress)])
            == "3 specs: 0 planned (+0 ~0 -0), 1 executed (+1 ~0 -0), 0 no change, 0 failed, 1 interrupted in progress, 1 not started")
        #expect(summaryLine([result(.noChange)]) == "1 spec: 0 planned (+0 ~0 -0), 1 no change, 0 failed")
    }

    @Test func jsonResult() throws {
        var r = result(.planned, [PlannedChange(action: "ADD", logicalResourceId: "A", resourceType: "AWS::SQS::Queue")])
        r.planId = "pp-1"
        r.error = nil
        let json = try ResponseJSON.parse(Array(r.json.utf8))
        #expect(json["status"]?.string == "planned")
        #expect(json["planId"]?.string == "pp-1")
        #expect(json["token"]?.string == "t")
        #expect(json["changes"]?["add"]?.number == 1)
        #expect(json["changes"]?["replace"]?.number == 0)
        #expect(json["error"] == .null)
        #expect(json["resourceChanges"]?.array?.first?["logicalResourceId"]?.string == "A")
        #expect(!r.json.contains("\n"))
    }
}
