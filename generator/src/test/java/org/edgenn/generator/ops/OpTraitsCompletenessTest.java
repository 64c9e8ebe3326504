package org.edgenn.generator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.edgenn.ir.ops.Op;
import org.edgenn.ir.ops.SupportSelect;
import org.junit.jupiter.api.Test;

/** Every IR op (every class the sealed {@link Op} permits) has traits, registered under its own class. */
class OpTraitsCompletenessTest {

    @Test
    void everyIrOpHasTraits() {
        Class<?>[] ops = Op.class.getPermittedSubclasses();
        assertTrue(ops.length >= 16, "Op permits " + ops.length + " classes");
        List<String> missing = withoutTraits(OpTraitsRegistry::forClass);
        assertTrue(missing.isEmpty(), "IR ops without traits (add an XxxTraits to OpTraitsRegistry): " + missing);
    }

    /** The check above fails when it should: a registry without SupportSelect's traits is reported, by name. */
    @Test
    void anIrOpWithoutTraitsIsReported() {
        Function<Class<? extends Op>, OpTraits<?>> incomplete = c -> c == SupportSelect.class ? null : OpTraitsRegistry.forClass(c);
        assertEquals(List.of("SupportSelect"), withoutTraits(incomplete));
    }

    /** The simple names of the IR ops {@code registry} has no traits for; traits registered under another class fail. */
    static List<String> withoutTraits(Function<Class<? extends Op>, OpTraits<?>> registry) {
        List<String> missing = new ArrayList<>();
        for (Class<?> c : Op.class.getPermittedSubclasses()) {
            @SuppressWarnings("unchecked")
            OpTraits<?> t = registry.apply((Class<? extends Op>) c);
            if (t == null) {
                missing.add(c.getSimpleName());
            } else {
                assertEquals(c, t.opClass(), "traits registered under " + c.getSimpleName() + " describe " + t.opClass());
            }
        }
        return missing;
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
