import Testing
@testable import EmulatorCore

@Suite("Plan and provisioned-product lifecycle")
struct StateMachineTests {
    @Test func newProductPlanGoesThroughCreateInProgressToSuccessAfterTheDelay() throws {
        var s = try rulesState(planDelay: 5)
        let r = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#).get()
        let planId = try #require(r["PlanId"]?.string)
        let ppId = try #require(r["ProvisionProductId"]?.string)
        #expect(r["ProvisionedProductName"] == .string("fresh"))
        #expect(r["ProvisioningArtifactId"] == .string("pa-one"))
        #expect(planId.hasPrefix("pp-") && ppId.hasPrefix("pp-") && planId != ppId)

        let before = s.plan(planId, at: t0 + 4.9)
        #expect(before["ProvisionedProductPlanDetails"]?["Status"] == .string("CREATE_IN_PROGRESS"))
        #expect(before["ResourceChanges"] == .array([]))
        #expect(s.product("fresh", at: t0 + 4.9)["Status"] == .string("PLAN_IN_PROGRESS"))

        let after = s.plan(planId, at: t0 + 5)
        let details = try #require(after["ProvisionedProductPlanDetails"])
        #expect(details["Status"] == .string("CREATE_SUCCESS"))
        #expect(details["PathId"] == .string("lp-one"))
        #expect(details["ProvisionProductName"] == .string("fresh"))
        #expect(details["ProvisionProductId"] == .string(.init(ppId)))
        #expect(details["UpdatedTime"] == .number(t0 + 5))
        let changes = try #require(after["ResourceChanges"]?.array)
        #expect(changes.map { $0["Action"] } == [.string("ADD"), .string("ADD"), .string("ADD")])
        #expect(changes.map { $0["LogicalResourceId"]?.string ?? "" } == ["Bucket", "Fleet", "Alarm"])
    }

    @Test func zeroDelayPlansAreReadyAtOnce() throws {
        var s = try rulesState()
        let r = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#).get()
        #expect(s.plan(r["PlanId"]!.string!)["ProvisionedProductPlanDetails"]?["Status"] == .string("CREATE_SUCCESS"))
    }

    @Test func executeMovesPlanAndProductThroughTheirStates() throws {
        var s = try rulesState(planDelay: 1, executeDelay: 10)
        let planId = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","ProvisioningParameters":[{"Key":"Name","Value":"abc"}],"Tags":[{"Key":"env","Value":"prod"}]"#).get()["PlanId"]!.string!

        // Not executable while CREATE_IN_PROGRESS.
        let early = s.call(.executeProvisionedProductPlan, #"{"PlanId":"\#(planId)","IdempotencyToken":"e1"}"#)
        #expect(early.error?.code == "InvalidStateException")
        #expect(early.error?.message.contains("CREATE_IN_PROGRESS") == true)

        let exec = try s.call(.executeProvisionedProductPlan, #"{"PlanId":"\#(planId)","IdempotencyToken":"e2"}"#, at: t0 + 2).get()
        let record = try #require(exec["RecordDetail"])
        #expect(record["Status"] == .string("IN_PROGRESS"))
        #expect(record["RecordType"] == .string("PROVISION_PRODUCT"))
        #expect(record["ProvisionedProductName"] == .string("fresh"))
        let recordId = try #require(record["RecordId"]?.string)

        #expect(s.plan(planId, at: t0 + 3)["ProvisionedProductPlanDetails"]?["Status"] == .string("EXECUTE_IN_PROGRESS"))
        let during = s.product("fresh", at: t0 + 3)
        #expect(during["Status"] == .string("UNDER_CHANGE"))
        #expect(during["LastRecordId"] == .string(recordId))

        #expect(s.plan(planId, at: t0 + 12)["ProvisionedProductPlanDetails"]?["Status"] == .string("EXECUTE_SUCCESS"))
        let done = s.product("fresh", at: t0 + 12)
        #expect(done["Status"] == .string("AVAILABLE"))
        #expect(done["LastSuccessfulProvisioningRecordId"] == .string(recordId))
        let rec = try s.call(.describeRecord, #"{"Id":"\#(recordId)"}"#, at: t0 + 12).get()["RecordDetail"]!
        #expect(rec["Status"] == .string("SUCCEEDED"))
        #expect(rec["RecordTags"] == json(#"[{"Key":"env","Value":"prod"}]"#))

        // Executed plans no longer block a new plan for the same product.
        let next = s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","ProvisioningParameters":[{"Key":"Name","Value":"abcde"}],"Tags":[{"Key":"env","Value":"prod"}]"#, at: t0 + 13)
        #expect(next.value?["ProvisionProductId"] == done["Id"])
    }

    @Test func executeIsIdempotentByToken() throws {
        var s = try rulesState()
        let planId = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#).get()["PlanId"]!.string!
        let a = try s.call(.executeProvisionedProductPlan, #"{"PlanId":"\#(planId)","IdempotencyToken":"same"}"#).get()
        let b = try s.call(.executeProvisionedProductPlan, #"{"PlanId":"\#(planId)","IdempotencyToken":"same"}"#).get()
        #expect(a == b)
        #expect(s.counters.executions == 1)
        #expect(s.counters.executeReplays == 1)
        let c = s.call(.executeProvisionedProductPlan, #"{"PlanId":"\#(planId)","IdempotencyToken":"other"}"#)
        #expect(c.error?.code == "InvalidStateException")
    }

    @Test func taintedOutcomeReportsRecordErrors() throws {
        var s = try rulesState(executeDelay: 1)
        let planId = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-taint","ProvisionedProductName":"live","Tags":[{"Key":"env","Value":"prod"}]"#).get()["PlanId"]!.string!
        _ = try s.call(.executeProvisionedProductPlan, #"{"PlanId":"\#(planId)","IdempotencyToken":"x1"}"#).get()
        let pp = s.product("live", at: t0 + 1)
        #expect(pp["Status"] == .string("TAINTED"))
        #expect(pp["StatusMessage"] == .string("rolled back"))
        let plan = s.plan(planId, at: t0 + 1)["ProvisionedProductPlanDetails"]!
        #expect(plan["Status"] == .string("EXECUTE_FAILED"))
        let record = try s.call(.describeRecord, #"{"Id":"\#(pp["LastRecordId"]!.string!)"}"#, at: t0 + 1).get()["RecordDetail"]!
        #expect(record["Status"] == .string("FAILED"))
        #expect(record["RecordType"] == .string("UPDATE_PROVISIONED_PRODUCT"))
        #expect(record["RecordErrors"] == json(#"[{"Code":"CFN_UPDATE_ROLLBACK_COMPLETE","Description":"rolled back"}]"#))
        // A TAINTED product accepts a new plan.
        #expect(s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Name","Value":"zzz"}]"#, at: t0 + 2).value != nil)
    }

    @Test func errorOutcomeLeavesProductInError() throws {
        var s = try rulesState()
        let planId = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-error","ProvisionedProductName":"doomed""#).get()["PlanId"]!.string!
        _ = try s.call(.executeProvisionedProductPlan, #"{"PlanId":"\#(planId)","IdempotencyToken":"x1"}"#).get()
        let pp = s.product("doomed")
        #expect(pp["Status"] == .string("ERROR"))
        #expect(pp["StatusMessage"] == .string("Stack creation failed."))
        #expect(pp["LastSuccessfulProvisioningRecordId"] == nil)
        // ERROR does not accept a plan.
        let again = s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"doomed","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#)
        #expect(again.error?.code == "InvalidStateException")
        #expect(again.error?.message.contains("ERROR") == true)
    }

    @Test func noChangesFailsThePlanWithAWSMessage() throws {
        var s = try rulesState()
        // Same values as the live product (Kind and Password from their defaults).
        let r = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Name","UsePreviousValue":true},{"Key":"Size","Value":"3"}]"#).get()
        let d = s.plan(r["PlanId"]!.string!)
        #expect(d["ProvisionedProductPlanDetails"]?["Status"] == .string("CREATE_FAILED"))
        #expect(d["ProvisionedProductPlanDetails"]?["StatusMessage"] == .string(
            "The submitted information didn't contain changes. Submit different information to create a change set."))
        #expect(d["ResourceChanges"] == .array([]))
        // A failed plan is not executable, and still counts as the product's plan until deleted.
        #expect(s.call(.executeProvisionedProductPlan, #"{"PlanId":"\#(r["PlanId"]!.string!)","IdempotencyToken":"x"}"#).error?.code == "InvalidStateException")
        #expect(s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Size","Value":"4"}]"#).error?.code == "InvalidStateException")
        _ = try s.call(.deleteProvisionedProductPlan, #"{"PlanId":"\#(r["PlanId"]!.string!)"}"#).get()
        #expect(s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Size","Value":"4"}]"#).value != nil)
    }

    @Test func modifyReplacementFollowsDeclaredDependencies() throws {
        var s = try rulesState()
        // Name → Bucket ALWAYS; Size → Fleet NEVER and Alarm NEVER; Kind → Fleet CONDITIONALLY.
        let r = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Name","Value":"wxyz"},{"Key":"Size","Value":"4"},{"Key":"Kind","Value":"large"}]"#).get()
        let changes = try #require(s.plan(r["PlanId"]!.string!)["ResourceChanges"]?.array)
        let byId = Dictionary(uniqueKeysWithValues: changes.map { ($0["LogicalResourceId"]!.string!, $0) })
        #expect(byId["Bucket"]?["Action"] == .string("MODIFY"))
        #expect(byId["Bucket"]?["Replacement"] == .string("TRUE"))
        #expect(byId["Fleet"]?["Replacement"] == .string("CONDITIONAL"))
        #expect(byId["Alarm"]?["Replacement"] == .string("FALSE"))
        #expect(byId["Bucket"]?["Scope"] == json(#"["PROPERTIES"]"#))
        #expect(byId["Bucket"]?["PhysicalResourceId"]?.string?.hasPrefix("live-Bucket-") == true)
        let detail = try #require(byId["Fleet"]?["Details"]?.array)
        #expect(detail.count == 2)
        #expect(detail[0] == json(#"{"Target":{"Attribute":"PROPERTIES","Name":"Size","RequiresRecreation":"NEVER"},"Evaluation":"STATIC","CausingEntity":"Size"}"#))
        #expect(detail[1]["Target"]?["RequiresRecreation"] == .string("CONDITIONALLY"))

        // Only Size changes: Bucket is untouched and not reported.
        var s2 = try rulesState()
        let r2 = try s2.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Name","UsePreviousValue":true},{"Key":"Size","Value":"5"}]"#).get()
        let ids = try #require(s2.plan(r2["PlanId"]!.string!)["ResourceChanges"]?.array).map { $0["LogicalResourceId"]!.string! }
        #expect(ids == ["Fleet", "Alarm"])
    }

    @Test func artifactChangeAddsAndRemovesResources() throws {
        var s = try rulesState()
        let r = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-two","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Name","Value":"abcd"},{"Key":"Size","Value":"3"}]"#).get()
        let changes = try #require(s.plan(r["PlanId"]!.string!)["ResourceChanges"]?.array)
        let summary = changes.map { "\($0["Action"]!.string!) \($0["LogicalResourceId"]!.string!)" }
        #expect(summary == ["ADD Queue", "REMOVE Fleet", "REMOVE Alarm"])
    }

    @Test func tagChangesModifyResourcesWithTagScope() throws {
        var s = try rulesState()
        let r = try s.create(#""ProductId":"prod-two","ProvisioningArtifactId":"pa-x","PathId":"lp-alpha","ProvisionedProductName":"twopaths","Tags":[{"Key":"team","Value":"y"}]"#).get()
        let changes = try #require(s.plan(r["PlanId"]!.string!)["ResourceChanges"]?.array)
        #expect(changes.count == 1)
        #expect(changes[0]["Scope"] == json(#"["TAGS"]"#))
        #expect(changes[0]["Replacement"] == .string("FALSE"))
    }

    @Test func deleteRemovesPlanAndThePlanInProgressProductItCreated() throws {
        var s = try rulesState()
        let r = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#).get()
        let planId = r["PlanId"]!.string!
        #expect(try s.call(.deleteProvisionedProductPlan, #"{"PlanId":"\#(planId)"}"#).get() == .object([]))
        #expect(s.call(.describeProvisionedProductPlan, #"{"PlanId":"\#(planId)"}"#).error?.code == "ResourceNotFoundException")
        #expect(s.call(.describeProvisionedProduct, #"{"Name":"fresh"}"#).error?.code == "ResourceNotFoundException")
        #expect(s.counters.provisionedProductsDeleted == 1)
        // The name is free again.
        #expect(s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#).value != nil)
    }

    @Test func deleteOfAnExistingProductsPlanKeepsTheProduct() throws {
        var s = try rulesState()
        let r = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Size","Value":"4"}]"#).get()
        _ = try s.call(.deleteProvisionedProductPlan, #"{"PlanId":"\#(r["PlanId"]!.string!)"}"#).get()
        #expect(s.product("live")["Status"] == .string("AVAILABLE"))
    }

    @Test func deleteDuringExecutionNeedsIgnoreErrors() throws {
        var s = try rulesState(executeDelay: 60)
        let planId = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#).get()["PlanId"]!.string!
        _ = try s.call(.executeProvisionedProductPlan, #"{"PlanId":"\#(planId)","IdempotencyToken":"x1"}"#).get()
        let refused = s.call(.deleteProvisionedProductPlan, #"{"PlanId":"\#(planId)"}"#)
        #expect(refused.error?.code == "InvalidStateException")
        #expect(try s.call(.deleteProvisionedProductPlan, #"{"PlanId":"\#(planId)","IgnoreErrors":true}"#).get() == .object([]))
        // The execution still finishes; the product it provisions stays.
        #expect(s.product("fresh", at: t0 + 61)["Status"] == .string("AVAILABLE"))
    }

    @Test func settleAppliesTransitionsInDueOrder() throws {
        var s = try rulesState(planDelay: 3, executeDelay: 1)
        let a = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"a","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#, at: t0).get()["PlanId"]!.string!
        let b = try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"b","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#, at: t0 + 1).get()["PlanId"]!.string!
        #expect(s.plan(a, at: t0 + 3.5)["ProvisionedProductPlanDetails"]?["Status"] == .string("CREATE_SUCCESS"))
        #expect(s.plan(b, at: t0 + 3.5)["ProvisionedProductPlanDetails"]?["Status"] == .string("CREATE_IN_PROGRESS"))
        #expect(s.plan(b, at: t0 + 4)["ProvisionedProductPlanDetails"]?["Status"] == .string("CREATE_SUCCESS"))
        #expect(s.pendingTransitions == 0)
    }
}
