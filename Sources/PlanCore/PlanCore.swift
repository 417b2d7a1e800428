// Typed IR, lowering, rules and emitters: in progress.
