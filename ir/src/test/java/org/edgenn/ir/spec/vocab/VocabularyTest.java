package org.edgenn.ir.spec.vocab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalogue is consistent: descriptors match the records they build, defaults lie in their ranges. */
class VocabularyTest {

    @Test
    void everyTermsParametersAreItsRecordsComponentsInOrder() {
        for (Term.Kind k : Term.Kind.values()) {
            for (Term<?> t : Vocabulary.of(k)) {
                List<String> components = Arrays.stream(t.type().getRecordComponents()).map(RecordComponent::getName)
                        .map(Vocabulary::snake).toList();
                assertEquals(components, t.parameterNames(), t.name());
                assertTrue(t.type().isRecord(), t.name());
            }
        }
    }

    @Test
    void defaultsBuildTheRecordAndLieInTheirRanges() {
        for (Term.Kind k : Term.Kind.values()) {
            Set<String> names = new HashSet<>();
            for (Term<?> t : Vocabulary.of(k)) {
                assertTrue(names.add(t.name()), "duplicate " + t.name());
                Map<String, Object> required = new HashMap<>();
                for (Parameter p : t.parameters()) {
                    if (p.defaultValue() instanceof Double d) {
                        assertTrue(p.range().contains(d) || d.isInfinite(), t.name() + "." + p.name() + " default " + d + " " + p.range());
                    }
                    if (p.required()) {
                        required.put(p.name(), p.type() == Parameter.Type.STRING ? "x" : 1.0);
                    }
                }
                Object built = t.build(new Arguments(t, required));
                assertTrue(t.type().isInstance(built), t.name());
                assertEquals(t.name().equals("xavier") ? "glorot" : t.name(), Vocabulary.termOf(built).name());
            }
        }
    }

    @Test
    void spellingNamesEveryArgument() {
        assertEquals("adamw(lr=5.0E-4, weight_decay=0.01)", Vocabulary.spell(new Optimizer.AdamW(5e-4, 0.01)));
        assertEquals("synthetic_sparse(m=250, sparsity=0.1, samples=50000, test=1000)",
                Vocabulary.spell(new DataSource.SyntheticSparse(250, null, 0.1, Double.POSITIVE_INFINITY, 50000, 1000)));
        assertEquals("idx(images=\"a\", labels=\"b\", classes=10, test=5)", Vocabulary.spell(new DataSource.Idx("a", "b", null, null, 10, 5)));
        assertEquals("0.1", Vocabulary.spell(new Initializer.Constant(0.1)));
        assertEquals("glorot", Vocabulary.spell(new Initializer.Glorot()));
    }

    @Test
    void rangesIncludeAndExcludeTheirBounds() {
        Parameter.Range r = new Parameter.Range(0, false, 1, true);
        assertFalse(r.contains(0));
        assertTrue(r.contains(1e-9));
        assertTrue(r.contains(1));
        assertFalse(r.contains(1.0000001));
        assertFalse(r.contains(Double.NaN));
        assertEquals("in (0, 1]", r.toString());
        assertEquals("> 0", Parameter.Range.POSITIVE.toString());
        assertEquals(">= 2", Parameter.Range.atLeast(2).toString());
    }

    /** Textbook values of the optimal-string-alignment distance. */
    @Test
    void editDistanceCountsASwapOnce() {
        assertEquals(3, Closest.distance("kitten", "sitting"));
        assertEquals(1, Closest.distance("sdt", "std"));
        assertEquals(3, Closest.distance("ca", "abc")); // OSA, unlike full Damerau-Levenshtein (2), edits no substring twice
        assertEquals(0, Closest.distance("lr", "lr"));
        assertEquals(2, Closest.distance("", "lr"));
        assertEquals(List.of("lr"), Closest.to("lrr", List.of("lr", "momentum")));
        assertEquals(List.of("sparsity"), Closest.to("sparsty", List.of("m", "n", "sparsity", "snr", "samples", "test")));
        assertEquals(List.of(), Closest.to("colour", List.of("stride", "kernel")));
    }
}
