import Testing
@testable import EmulatorCore

@Suite("Service Catalog rules and their exceptions")
struct RulesTests {
    let fresh = #""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh""#

    // MARK: one plan per provisioned product, states

    @Test func secondPlanForTheSameProductIsInvalidState() throws {
        var s = try rulesState()
        let first = try s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#, token: "t1").get()
        let second = s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abd"}]"#, token: "t2")
        #expect(second.error?.code == "InvalidStateException")
        #expect(second.error?.message.contains(first["PlanId"]!.string!) == true)
        #expect(s.counters.plansCreated == 1)
    }

    @Test func sameTokenReplaysTheFirstAnswerAndCreatesNothing() throws {
        var s = try rulesState()
        let a = try s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#, token: "tok-1").get()
        let b = try s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#, token: "tok-1").get()
        #expect(a == b)
        #expect(s.counters.plansCreated == 1)
        #expect(s.counters.createCalls == 2)
        #expect(s.counters.idempotentReplays == 1)
        #expect(s.counters.provisionedProductsCreated == 1)
        #expect(s.livePlans == 1)
        #expect(s.counters.plansPerProvisionedProduct == ["fresh": 1])
    }

    @Test(arguments: [("busy", "UNDER_CHANGE"), ("broken", "ERROR")])
    func existingProductMustBeAvailableOrTainted(name: String, status: String) throws {
        var s = try rulesState()
        let r = s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"\#(name)","ProvisioningParameters":[{"Key":"Size","Value":"9"}]"#)
        #expect(r.error?.code == "InvalidStateException")
        #expect(r.error?.message.contains(status) == true)
    }

    @Test func taintedProductAcceptsAPlan() throws {
        var s = try rulesState()
        #expect(s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"shaky","ProvisioningParameters":[{"Key":"Size","Value":"9"}]"#).value != nil)
    }

    @Test func planForNewProductCreatesItInPlanInProgress() throws {
        var s = try rulesState(planDelay: 10)
        let r = try s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#).get()
        let pp = s.product("fresh")
        #expect(pp["Status"] == .string("PLAN_IN_PROGRESS"))
        #expect(pp["Id"] == r["ProvisionProductId"])
        // A plan for a product another plan is creating is refused too.
        #expect(s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#).error?.code == "InvalidStateException")
    }

    @Test func productOfAnotherProductIdIsRefused() throws {
        var s = try rulesState()
        let r = s.create(#""ProductId":"prod-two","ProvisioningArtifactId":"pa-x","PathId":"lp-alpha","ProvisionedProductName":"live""#)
        #expect(r.error?.code == "InvalidParametersException")
    }

    // MARK: launch paths and unknown ids

    @Test func pathIdRequiredWithSeveralLaunchPaths() throws {
        var s = try rulesState()
        let r = s.create(#""ProductId":"prod-two","ProvisioningArtifactId":"pa-x","ProvisionedProductName":"new-two""#)
        #expect(r.error?.code == "InvalidParametersException")
        #expect(r.error?.message.contains("lp-alpha (Alpha)") == true)
        #expect(r.error?.message.contains("lp-beta (Beta)") == true)
        #expect(s.create(#""ProductId":"prod-two","ProvisioningArtifactId":"pa-x","PathId":"lp-beta","ProvisionedProductName":"new-two""#).value != nil)
    }

    @Test func singleLaunchPathIsUsedWhenPathIdIsOmitted() throws {
        var s = try rulesState()
        let r = try s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#).get()
        #expect(s.plan(r["PlanId"]!.string!)["ProvisionedProductPlanDetails"]?["PathId"] == .string("lp-one"))
    }

    @Test func noLaunchPathIsResourceNotFound() throws {
        var s = try rulesState()
        let r = s.create(#""ProductId":"prod-none","ProvisioningArtifactId":"pa-none","ProvisionedProductName":"x""#)
        #expect(r.error == ServiceError("ResourceNotFoundException", "No launch paths found for resource: prod-none"))
        #expect(s.call(.describeProvisioningParameters, #"{"ProductId":"prod-none","ProvisioningArtifactId":"pa-none"}"#).error?.message
            == "No launch paths found for resource: prod-none")
    }

    @Test(arguments: [
        #""ProductId":"prod-nope","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"x""#,
        #""ProductId":"prod-one","ProvisioningArtifactId":"pa-nope","ProvisionedProductName":"x""#,
        #""ProductId":"prod-one","ProvisioningArtifactId":"pa-x","ProvisionedProductName":"x""#,
        #""ProductId":"prod-two","ProvisioningArtifactId":"pa-x","PathId":"lp-nope","ProvisionedProductName":"x""#,
    ])
    func unknownIdsAreResourceNotFound(fields: String) throws {
        var s = try rulesState()
        #expect(s.create(fields).error?.code == "ResourceNotFoundException")
        #expect(s.counters.plansCreated == 0)
    }

    @Test(arguments: [Operation.describeProvisionedProductPlan, .deleteProvisionedProductPlan])
    func unknownPlanIdIsResourceNotFound(op: Operation) throws {
        var s = try rulesState()
        #expect(s.call(op, #"{"PlanId":"pp-doesnotexist1"}"#).error?.code == "ResourceNotFoundException")
        #expect(s.call(.executeProvisionedProductPlan, #"{"PlanId":"pp-doesnotexist1","IdempotencyToken":"a"}"#).error?.code == "ResourceNotFoundException")
    }

    // MARK: tags

    @Test func tagUpdatesNeedTheResourceUpdateConstraint() throws {
        var s = try rulesState()
        // lp-one has TagUpdateOnProvisionedProduct NOT_ALLOWED.
        let r = s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Size","Value":"4"}],"Tags":[{"Key":"env","Value":"prod"},{"Key":"owner","Value":"me"}]"#)
        #expect(r.error?.code == "InvalidParametersException")
        #expect(r.error?.message.contains("TagUpdateOnProvisionedProduct") == true)
        // Unchanged tags, or no Tags at all, are fine.
        var s2 = try rulesState()
        #expect(s2.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Size","Value":"4"}],"Tags":[{"Key":"env","Value":"prod"}]"#).value != nil)
        var s3 = try rulesState()
        #expect(s3.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Size","Value":"4"}]"#).value != nil)
        // lp-alpha allows tag updates (TagUpdatesOnProvisionedProduct spelling).
        var s4 = try rulesState()
        #expect(s4.create(#""ProductId":"prod-two","ProvisioningArtifactId":"pa-x","PathId":"lp-alpha","ProvisionedProductName":"twopaths","Tags":[{"Key":"team","Value":"z"}]"#).value != nil)
        // lp-beta has no RESOURCE_UPDATE constraint: treated as NOT_ALLOWED.
        var s5 = try rulesState()
        #expect(s5.create(#""ProductId":"prod-two","ProvisioningArtifactId":"pa-x","PathId":"lp-beta","ProvisionedProductName":"twopaths","Tags":[{"Key":"team","Value":"z"}]"#).error?.code == "InvalidParametersException")
    }

    @Test func tagOptionValuesAreEnforced() throws {
        var s = try rulesState()
        // team: [a, b] on the product only.
        let bad = s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"}],"Tags":[{"Key":"team","Value":"c"}]"#)
        #expect(bad.error?.code == "InvalidParametersException")
        #expect(bad.error?.message.contains("Allowed values: [a, b]") == true)
        // env: product [dev, prod] ∩ portfolio [prod, staging] = [prod].
        #expect(s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"}],"Tags":[{"Key":"env","Value":"dev"}]"#).error?.code == "InvalidParametersException")
        #expect(s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"}],"Tags":[{"Key":"env","Value":"prod"},{"Key":"team","Value":"b"},{"Key":"free","Value":"anything"}]"#).value != nil)
    }

    @Test func conflictingTagOptionKeyCannotBeUsed() throws {
        let yaml = rulesCatalogYAML.replacing("env: [prod, staging]", with: "env: [staging]")
        var s = ServiceState(catalog: try catalog(yaml), now: t0)
        let r = s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"}],"Tags":[{"Key":"env","Value":"staging"}]"#)
        #expect(r.error?.code == "InvalidParametersException")
        #expect(r.error?.message.contains("conflict") == true)
        let params = try s.call(.describeProvisioningParameters, #"{"ProductId":"prod-one","ProvisioningArtifactId":"pa-one"}"#).get()
        #expect(params["TagOptions"]?.array?.first == json(#"{"Key":"env","Values":[]}"#))
    }

    @Test(arguments: [
        #"[{"Key":"aws:owner","Value":"x"}]"#,
        #"[{"Key":"a","Value":""}]"#,
        #"[{"Key":"a","Value":"x"},{"Key":"a","Value":"y"}]"#,
        #"[{"Key":"a#b","Value":"x"}]"#,
        #"[{"Key":"a"}]"#,
    ])
    func malformedTagsAreInvalidParameters(tags: String) throws {
        var s = try rulesState()
        #expect(s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"}],"Tags":\#(tags)"#).error?.code == "InvalidParametersException")
    }

    // MARK: parameters

    @Test(arguments: [
        (#"{"Key":"Nope","Value":"1"}"#, "Nope"),
        (#"{"Key":"Size","Value":"11"}"#, "greater than 10"),
        (#"{"Key":"Size","Value":"0"}"#, "less than 1"),
        (#"{"Key":"Size","Value":"two"}"#, "not a number"),
        (#"{"Key":"Name","Value":"ab"}"#, "shorter than 3"),
        (#"{"Key":"Name","Value":"abcdefghi"}"#, "longer than 8"),
        (#"{"Key":"Name","Value":"ABC"}"#, "pattern"),
        (#"{"Key":"Kind","Value":"huge"}"#, "allowed values"),
    ])
    func parametersMustExistAndSatisfyConstraints(param: String, fragment: String) throws {
        var s = try rulesState()
        let body = #""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"live","ProvisioningParameters":[\#(param)]"#
        let r = s.create(body)
        #expect(r.error?.code == "InvalidParametersException")
        #expect(r.error?.message.contains(fragment) == true, "\(r.error?.message ?? "")")
    }

    @Test func noEchoValuesAreNeverEchoed() throws {
        let yaml = rulesCatalogYAML.replacing(#"DefaultValue: "hunter22""#,
                                              with: "DefaultValue: \"hunter22\"\n            ParameterConstraints: {MinLength: 8}")
        var s = ServiceState(catalog: try catalog(yaml), now: t0)
        let r = s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"},{"Key":"Password","Value":"s3cr"}]"#)
        #expect(r.error?.code == "InvalidParametersException")
        #expect(r.error?.message.contains("s3cr") == false)
        let ok = try s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"},{"Key":"Password","Value":"s3cretvalue"}]"#).get()
        let described = s.plan(ok["PlanId"]!.string!)
        #expect(described.text.contains("s3cretvalue") == false)
        #expect(described.text.contains("****"))
        let params = try s.call(.describeProvisioningParameters, #"{"ProductId":"prod-one","ProvisioningArtifactId":"pa-one"}"#).get()
        #expect(params.text.contains("hunter22") == false)
    }

    @Test func missingValueWithoutDefaultOnNewProduct() throws {
        var s = try rulesState()
        let r = s.create(fresh)
        #expect(r.error == .invalidParameters("Parameters: [Name] must have values"))
    }

    @Test func usePreviousValueOnNewProductIsInvalid() throws {
        var s = try rulesState()
        let r = s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","UsePreviousValue":true}]"#)
        #expect(r.error?.code == "InvalidParametersException")
        #expect(r.error?.message.contains("does not exist yet") == true)
    }

    @Test func usePreviousValueWithAValueIsInvalid() throws {
        var s = try rulesState()
        let r = s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Name","Value":"abc","UsePreviousValue":true}]"#)
        #expect(r.error == .invalidParameters("Cannot specify usePreviousValue as true and non empty value for a parameter: Name"))
    }

    @Test func usePreviousValueForAKeyNotInThePreviousTemplate() throws {
        var s = try rulesState()
        let r = s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-two","ProvisionedProductName":"live","ProvisioningParameters":[{"Key":"Extra","UsePreviousValue":true}]"#)
        #expect(r.error?.message.contains("not in the previous template") == true)
    }

    @Test func duplicateParameterKeysAreInvalid() throws {
        var s = try rulesState()
        #expect(s.create(fresh + #","ProvisioningParameters":[{"Key":"Name","Value":"abc"},{"Key":"Name","Value":"abd"}]"#).error?.code == "InvalidParametersException")
    }

    // MARK: request shape

    @Test(arguments: ["PlanName", "PlanType", "ProductId", "ProvisioningArtifactId", "ProvisionedProductName", "IdempotencyToken"])
    func missingRequiredMemberIsInvalidParameters(member: String) throws {
        var s = try rulesState()
        var body = json(#"{"PlanName":"p","PlanType":"CLOUDFORMATION","ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","IdempotencyToken":"t","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]}"#)
        body = .object(body.object!.filter { $0.0 != member })
        let r = s.handle(.createProvisionedProductPlan, body, now: t0)
        #expect(r.error == .invalidParameters("\(member) is required."))
    }

    @Test(arguments: [
        #"{"PlanName":"p","PlanType":"TERRAFORM","ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","IdempotencyToken":"t"}"#,
        #"{"PlanName":"p","PlanType":"CLOUDFORMATION","ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"-bad","IdempotencyToken":"t"}"#,
        #"{"PlanName":"p","PlanType":"CLOUDFORMATION","ProductId":"prod one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","IdempotencyToken":"t"}"#,
        #"{"PlanName":"p","PlanType":"CLOUDFORMATION","ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","IdempotencyToken":"_t"}"#,
        #"{"PlanName":"p","PlanType":"CLOUDFORMATION","ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"fresh","IdempotencyToken":"t","NotificationArns":["arn:1","arn:2","arn:3","arn:4","arn:5","arn:6"]}"#,
    ])
    func invalidMembersAreInvalidParameters(body: String) throws {
        var s = try rulesState()
        #expect(s.call(.createProvisionedProductPlan, body).error?.code == "InvalidParametersException")
    }

    @Test func wrongMemberTypeIsSerializationException() throws {
        var s = try rulesState()
        #expect(s.call(.createProvisionedProductPlan, #"{"PlanName":5}"#).error?.code == "SerializationException")
        #expect(s.call(.describeProvisionedProductPlan, #"[1]"#).error?.code == "SerializationException")
        #expect(s.call(.deleteProvisionedProductPlan, #"{"PlanId":"pp-x","IgnoreErrors":"yes"}"#).error?.code == "SerializationException")
    }

    // MARK: reads

    @Test func describeProvisionedProductNeedsExactlyOneOfIdAndName() throws {
        var s = try rulesState()
        #expect(s.call(.describeProvisionedProduct, "{}").error?.code == "InvalidParametersException")
        #expect(s.call(.describeProvisionedProduct, #"{"Id":"pp-live","Name":"live"}"#).error?.code == "InvalidParametersException")
        #expect(s.call(.describeProvisionedProduct, #"{"Name":"nobody"}"#).error?.code == "ResourceNotFoundException")
        let byId = try s.call(.describeProvisionedProduct, #"{"Id":"pp-live"}"#).get()
        let byName = try s.call(.describeProvisionedProduct, #"{"Name":"live"}"#).get()
        #expect(byId == byName)
        let d = try #require(byId["ProvisionedProductDetail"])
        #expect(d["Status"] == .string("AVAILABLE"))
        #expect(d["Type"] == .string("CFN_STACK"))
        #expect(d["ProductId"] == .string("prod-one"))
        #expect(d["LastRecordId"]?.string?.hasPrefix("rec-") == true)
        #expect(d["Arn"] == .string("arn:aws:servicecatalog:us-east-1:123456789012:stack/live/pp-live"))
        #expect(byId["CloudWatchDashboards"] == .array([]))
        let broken = s.product("broken")
        #expect(broken["StatusMessage"] == .string("stack failed"))
        // The seed record carries the product's tags.
        let rec = try s.call(.describeRecord, #"{"Id":"\#(d["LastRecordId"]!.string!)"}"#).get()["RecordDetail"]!
        #expect(rec["RecordTags"] == json(#"[{"Key":"env","Value":"prod"}]"#))
    }

    @Test func describeProvisioningParametersReportsConstraintsAndTagOptions() throws {
        var s = try rulesState()
        let r = try s.call(.describeProvisioningParameters, #"{"ProductId":"prod-one","ProvisioningArtifactId":"pa-one"}"#).get()
        let params = try #require(r["ProvisioningArtifactParameters"]?.array)
        #expect(params.map { $0["ParameterKey"]!.string! } == ["Size", "Name", "Kind", "Password"])
        #expect(params[0]["ParameterConstraints"] == json(#"{"AllowedValues":[],"MaxValue":"10","MinValue":"1"}"#))
        #expect(params[1]["ParameterConstraints"] == json(#"{"AllowedValues":[],"AllowedPattern":"[a-z]+","MaxLength":"8","MinLength":"3"}"#))
        #expect(params[3]["IsNoEcho"] == .bool(true))
        #expect(r["ConstraintSummaries"] == json(#"[{"Type":"RESOURCE_UPDATE"}]"#))
        #expect(r["TagOptions"] == json(#"[{"Key":"env","Values":["prod"]},{"Key":"team","Values":["a","b"]}]"#))
        // By name, and the path rule applies.
        #expect(s.call(.describeProvisioningParameters, #"{"ProductName":"One Path","ProvisioningArtifactName":"v1"}"#).value != nil)
        #expect(s.call(.describeProvisioningParameters, #"{"ProductId":"prod-two","ProvisioningArtifactId":"pa-x"}"#).error?.code == "InvalidParametersException")
        #expect(s.call(.describeProvisioningParameters, #"{"ProductId":"prod-two","ProvisioningArtifactId":"pa-x","PathName":"Beta"}"#).value != nil)
        #expect(s.call(.describeProvisioningParameters, #"{"ProvisioningArtifactId":"pa-x"}"#).error?.code == "InvalidParametersException")
    }

    @Test func listLaunchPathsPages() throws {
        var s = try rulesState()
        let first = try s.call(.listLaunchPaths, #"{"ProductId":"prod-two","PageSize":1}"#).get()
        #expect(first["LaunchPathSummaries"] == json(#"[{"Id":"lp-alpha","ConstraintSummaries":[{"Type":"RESOURCE_UPDATE"}],"Tags":[],"Name":"Alpha"}]"#))
        let token = try #require(first["NextPageToken"]?.string)
        let second = try s.call(.listLaunchPaths, #"{"ProductId":"prod-two","PageSize":1,"PageToken":"\#(token)"}"#).get()
        #expect(second["LaunchPathSummaries"]?.array?.first?["Name"] == .string("Beta"))
        #expect(second["NextPageToken"] == nil)
        #expect(s.call(.listLaunchPaths, #"{"ProductId":"prod-nope"}"#).error?.code == "ResourceNotFoundException")
        #expect(s.call(.listLaunchPaths, #"{"ProductId":"prod-two","PageSize":21}"#).error?.code == "InvalidParametersException")
        #expect(s.call(.listLaunchPaths, #"{"ProductId":"prod-two","PageToken":"garbage"}"#).error?.code == "InvalidParametersException")
        #expect(try s.call(.listLaunchPaths, #"{"ProductId":"prod-none"}"#).get()["LaunchPathSummaries"] == .array([]))
    }

    @Test func listProvisionedProductPlansFiltersAndPages() throws {
        var s = try rulesState()
        var ids: [String] = []
        for i in 0..<25 {
            ids.append(try s.create(#""ProductId":"prod-one","ProvisioningArtifactId":"pa-one","ProvisionedProductName":"pp\#(i)","ProvisioningParameters":[{"Key":"Name","Value":"abc"}]"#).get()["PlanId"]!.string!)
        }
        let page1 = try s.call(.listProvisionedProductPlans, #"{"AccessLevelFilter":{"Key":"Account","Value":"self"}}"#).get()
        #expect(page1["ProvisionedProductPlans"]?.array?.count == 20)
        let token = try #require(page1["NextPageToken"]?.string)
        let page2 = try s.call(.listProvisionedProductPlans, #"{"PageToken":"\#(token)"}"#).get()
        #expect(page2["ProvisionedProductPlans"]?.array?.count == 5)
        #expect(page2["NextPageToken"] == nil)
        let all = (page1["ProvisionedProductPlans"]!.array! + page2["ProvisionedProductPlans"]!.array!).map { $0["PlanId"]!.string! }
        #expect(all == ids)

        let ppId = s.product("pp3")["Id"]!.string!
        let filtered = try s.call(.listProvisionedProductPlans, #"{"ProvisionProductId":"\#(ppId)"}"#).get()
        let only = try #require(filtered["ProvisionedProductPlans"]?.array)
        #expect(only.count == 1)
        #expect(only[0] == json(#"{"PlanName":"p","PlanId":"\#(ids[3])","ProvisionProductId":"\#(ppId)","ProvisionProductName":"pp3","PlanType":"CLOUDFORMATION","ProvisioningArtifactId":"pa-one"}"#))
        #expect(s.call(.listProvisionedProductPlans, #"{"AccessLevelFilter":{"Key":"Everyone","Value":"x"}}"#).error?.code == "InvalidParametersException")
    }

    @Test func describePlanPagesResourceChanges() throws {
        var s = ServiceState(catalog: try loadDemoCatalog(), now: t0)
        let r = try s.create(#""ProductId":"prod-netbase5w8r1","ProvisioningArtifactId":"pa-netbase2c6y9","ProvisionedProductName":"net","ProvisioningParameters":[{"Key":"VpcCidr","Value":"10.0.0.0/16"}]"#).get()
        let planId = r["PlanId"]!.string!
        let first = s.plan(planId)
        #expect(first["ResourceChanges"]?.array?.count == 20)
        let token = try #require(first["NextPageToken"]?.string)
        let second = s.plan(planId, page: #""PageToken":"\#(token)""#)
        #expect(second["ResourceChanges"]?.array?.count == 9)
        #expect(second["NextPageToken"] == nil)
        let small = s.plan(planId, page: #""PageSize":7"#)
        #expect(small["ResourceChanges"]?.array?.count == 7)
        #expect(small["NextPageToken"] == .string("7"))
        #expect(s.call(.describeProvisionedProductPlan, #"{"PlanId":"\#(planId)","PageSize":50}"#).error?.code == "InvalidParametersException")
    }
}

