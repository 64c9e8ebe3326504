package org.edgenn.cli.archfixture.b;

import org.edgenn.cli.archfixture.a.Left;

/** The other half of the deliberate package cycle of {@link Left}. */
public final class Right {
    public Left partner() {
        return new Left();
    }
}
