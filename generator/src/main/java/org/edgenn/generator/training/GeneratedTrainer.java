package org.edgenn.generator.training;

import org.edgenn.generator.GeneratedSource;

/**
 * A generated trainer: Java source of class {@code simpleName} in {@code packageName} ("" for the default package).
 */
public record GeneratedTrainer(String network, String packageName, String simpleName, String source) implements GeneratedSource {
}
