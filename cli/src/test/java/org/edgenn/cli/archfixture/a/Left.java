package org.edgenn.cli.archfixture.a;

import org.edgenn.cli.archfixture.b.Right;

/** Half of a deliberate package cycle: {@code ArchitectureRulesFailTest} checks that the cycle rule catches it. */
public final class Left {
    public Right partner() {
        return new Right();
    }
}
