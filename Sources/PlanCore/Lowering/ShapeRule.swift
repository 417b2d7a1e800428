/// Rule ids of the problems lowering reports (the shape of a spec document).
public enum ShapeRule {
    public static let unknownKey = "PC1001"
    public static let wrongType = "PC1002"
    public static let missingKey = "PC1003"
    public static let emptyDocument = "PC1004"
}
