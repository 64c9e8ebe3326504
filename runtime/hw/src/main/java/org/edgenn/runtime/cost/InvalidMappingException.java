package org.edgenn.runtime.cost;

import java.util.List;

/** A mapping does not fit its layer or accelerator; {@link #violations()} lists every broken rule. */
public final class InvalidMappingException extends IllegalArgumentException {
    private final List<String> violations;

    public InvalidMappingException(String layer, List<String> violations) {
        super("invalid mapping for " + layer + ": " + String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
