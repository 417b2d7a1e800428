import Testing
@testable import EmulatorCore
