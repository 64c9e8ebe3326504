package org.edgenn.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The budget rule: an explicit property wins, else 80 % of JavaCPP's cap, else 40 % of RAM. */
class NativeMemoryTest {
    private static final long GIB = 1L << 30;

    @Test
    void budgetFollowsThePropertyThenJavaCppsCapThenRam() {
        assertEquals(3 * GIB, NativeMemory.budgetFrom("3G", 10 * GIB, 24 * GIB));
        assertEquals(512L << 20, NativeMemory.budgetFrom(" 512m ", 0, 24 * GIB));
        assertEquals(10 * GIB / 10 * 8, NativeMemory.budgetFrom(null, 10 * GIB, 24 * GIB));
        assertEquals(24 * GIB / 10 * 4, NativeMemory.budgetFrom("", 0, 24 * GIB));
    }

    @Test
    void aBadBudgetIsAnErrorNotADefault() {
        assertThrows(IllegalArgumentException.class, () -> NativeMemory.budgetFrom("lots", 0, 24 * GIB));
        assertThrows(IllegalArgumentException.class, () -> NativeMemory.budgetFrom("0", 0, 24 * GIB));
    }
}
