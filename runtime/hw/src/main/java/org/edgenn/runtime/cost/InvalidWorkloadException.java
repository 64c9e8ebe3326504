package org.edgenn.runtime.cost;

import java.util.List;

/** A workload description broke one or more rules; {@link #violations()} lists all of them. */
public final class InvalidWorkloadException extends IllegalArgumentException {
    private final List<String> violations;

    public InvalidWorkloadException(String layer, List<String> violations) {
        super("invalid workload " + layer + ": " + String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
