package org.edgenn.generator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.ir.ops.Op;
import org.junit.jupiter.api.Test;

/** Every IR op (every class the sealed {@link Op} permits) has traits, registered under its own class. */
class OpTraitsCompletenessTest {

    @Test
    void everyIrOpHasTraits() {
        Class<?>[] ops = Op.class.getPermittedSubclasses();
        assertTrue(ops.length >= 16, "Op permits " + ops.length + " classes");
        List<String> missing = new ArrayList<>();
        for (Class<?> c : ops) {
            @SuppressWarnings("unchecked")
            OpTraits<?> t = OpTraitsRegistry.forClass((Class<? extends Op>) c);
            if (t == null) {
                missing.add(c.getSimpleName());
            } else {
                assertEquals(c, t.opClass(), "traits registered under " + c.getSimpleName() + " describe " + t.opClass());
            }
        }
        assertTrue(missing.isEmpty(), "IR ops without traits (add an XxxTraits to OpTraitsRegistry): " + missing);
    }

    @Test
    void everyTraitsClassIsNamedAfterItsOp() {
        for (Class<?> c : Op.class.getPermittedSubclasses()) {
            @SuppressWarnings("unchecked")
            OpTraits<?> t = OpTraitsRegistry.forClass((Class<? extends Op>) c);
            assertNotNull(t, c.getSimpleName());
            assertEquals(c.getSimpleName() + "Traits", t.getClass().getSimpleName());
        }
    }
}
