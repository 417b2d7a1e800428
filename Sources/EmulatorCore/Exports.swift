// The emulator's JSON values are PlanJSON's, shared with the apply engine.
@_exported import PlanJSON
