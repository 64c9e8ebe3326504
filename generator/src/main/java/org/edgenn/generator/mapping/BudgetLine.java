package org.edgenn.generator.mapping;

/**
 * One budget of the network's compress block as the mapping meets it: {@code params < 4.2M}, the actual figure, met
 * or not ({@link BudgetCheck#status}; the build report shows them).
 */
public record BudgetLine(String budget, String actual, boolean met) {
}
