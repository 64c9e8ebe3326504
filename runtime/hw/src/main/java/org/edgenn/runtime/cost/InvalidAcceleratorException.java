package org.edgenn.runtime.cost;

import java.util.List;

/** The accelerator cannot be used by the cost model; {@link #violations()} lists every broken rule. */
public final class InvalidAcceleratorException extends IllegalArgumentException {
    private final List<String> violations;

    public InvalidAcceleratorException(String accelerator, List<String> violations) {
        super("invalid accelerator " + accelerator + ": " + String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
