package org.edgenn.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs in both surefire executions: with {@code --add-modules jdk.incubator.vector} the vector
 * family must be chosen, without it the scalar fallback (and asking for vectors fails clearly).
 */
class BackendSelectionTest {
    @Test
    void chosenBackendMatchesTheJvmFlags() {
        String expected = System.getProperty("edgenn.expectBackend");
        Assumptions.assumeTrue(expected != null, "run by surefire, which states the expected backend");
        assertEquals(Backend.valueOf(expected), KernelBackend.defaultBackend());
        boolean moduleLoaded = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(moduleLoaded, KernelBackend.isAvailable(Backend.VECTOR));
        if (!moduleLoaded) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelBackend.factory(Backend.VECTOR));
            assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
        }
    }
}
