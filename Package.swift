// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "plancc",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "plancc", targets: ["plancc"]),
        .executable(name: "plancc-emulator", targets: ["plancc-emulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // libyaml, the system C library (Debian: libyaml-dev). Only PlanSyntax imports it.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // A small JSON value type with a strict parser and a compact writer (service
        // responses in apply, requests and answers in the emulator).
        .target(name: "PlanJSON"),
        // Located YAML tree on libyaml's event parser; source files, locations, diagnostics.
        .target(name: "PlanSyntax", dependencies: ["CYAML"]),
        // Typed IR, lowering, semantic rules, canonical JSON. Pure: no I/O.
        .target(
            name: "PlanCore",
            dependencies: ["PlanSyntax", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // AWS Signature Version 4: a pure function of request, credentials, scope and clock.
        .target(name: "SigV4", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Credentials chain, region and endpoint resolution, as the AWS SDKs do it.
        .target(
            name: "AWSConfig",
            dependencies: [
                "SigV4",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // awsJson1_1 requests: building, signing and rendering raw HTTP/1.1 messages.
        .target(name: "PlanWire", dependencies: ["PlanCore", "SigV4"]),
        // `plancc apply`: the Service Catalog client, retries, rate limiting, plan lifecycle.
        .target(
            name: "PlanApply",
            dependencies: [
                "PlanCore", "PlanWire", "SigV4", "AWSConfig", "PlanJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // The local Service Catalog emulator (awsJson1_1 over SwiftNIO).
        .target(
            name: "EmulatorCore",
            dependencies: [
                "PlanSyntax", "SigV4", "PlanJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "plancc",
            dependencies: [
                "PlanSyntax", "PlanCore", "PlanWire", "SigV4", "AWSConfig", "PlanApply",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "plancc-emulator",
            dependencies: [
                "EmulatorCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PlanSyntaxTests", dependencies: ["PlanSyntax"]),
        .testTarget(name: "PlanCoreTests", dependencies: ["PlanCore", "PlanSyntax"], exclude: ["Fixtures"]),
        // Vectors/ (AWS's SigV4 suites) and Fixtures/ (botocore output) are read via #filePath.
        .testTarget(name: "SigV4Tests", dependencies: ["SigV4"], exclude: ["Vectors", "Fixtures"]),
        .testTarget(
            name: "AWSConfigTests",
            dependencies: [
                "AWSConfig", "SigV4",
                // Loopback stand-ins for STS, container credentials and IMDS.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "PlanWireTests", dependencies: ["PlanWire", "SigV4"]),
        // Runs the built `plancc` binary; links only the IR for the schema test. Depending on
        // the executable keeps `swift test` building it first.
        .testTarget(name: "PlanCCTests", dependencies: ["plancc", "PlanCore"], exclude: ["Golden"]),
        // Unit tests of the apply engine (fake and in-process emulator transports) and
        // integration tests that run the plancc and plancc-emulator binaries.
        .testTarget(
            name: "ApplyTests",
            dependencies: [
                "PlanApply", "PlanCore", "PlanSyntax", "SigV4", "AWSConfig", "EmulatorCore",
                "plancc", "plancc-emulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "EmulatorTests",
            dependencies: [
                "EmulatorCore", "SigV4", "PlanSyntax", "PlanCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ]
)
