package org.edgenn.generator.inference;

import org.edgenn.generator.GeneratedSource;

/**
 * A generated int8 inference class ({@code <Network>Int8}): Java source of class {@code simpleName} in
 * {@code packageName} ("" for the default package). {@link #qualifiedName()} and {@link #relativePath()} come from
 * {@link GeneratedSource}.
 */
public record GeneratedInference(String network, String packageName, String simpleName, String source) implements GeneratedSource {
}
