package org.edgenn.generator;

/** A generated Java class: source of {@code simpleName} in {@code packageName} ("" for the default package). */
public interface GeneratedSource {
    /** The network it was generated from. */
    String network();

    String packageName();

    String simpleName();

    String source();

    default String qualifiedName() {
        return packageName().isEmpty() ? simpleName() : packageName() + "." + simpleName();
    }

    /** {@code examples/lista/ListaInt8.java}: where the source goes under a source root. */
    default String relativePath() {
        return (packageName().isEmpty() ? "" : packageName().replace('.', '/') + "/") + simpleName() + ".java";
    }
}
