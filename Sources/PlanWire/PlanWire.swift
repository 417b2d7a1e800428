// PlanWire: work in progress (see Package.swift for the module's role).
