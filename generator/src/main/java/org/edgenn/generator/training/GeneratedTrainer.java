package org.edgenn.generator.training;

/**
 * A generated trainer: Java source of class {@code simpleName} in {@code packageName} ("" for the default package).
 */
public record GeneratedTrainer(String network, String packageName, String simpleName, String source) {

    public String qualifiedName() {
        return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
    }

    /** {@code examples/lista/ListaTrainer.java}: where the source goes under a source root. */
    public String relativePath() {
        return (packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/") + simpleName + ".java";
    }
}
