package org.edgenn.generator.mapping.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link PeekableRandom} draws what {@code java.util.Random} draws from the same seed, and peeks without drawing. */
class PeekableRandomTest {

    @Test
    void sameSequenceAsJavaUtilRandomAndPeeksTheNextDouble() {
        Random seeds = new Random(11);
        for (int s = 0; s < 50; s++) {
            long seed = s < 5 ? s - 2 : seeds.nextLong();
            Random reference = new Random(seed);
            PeekableRandom r = new PeekableRandom(seed);
            List<Integer> a = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
            List<Integer> b = new ArrayList<>(a);
            Collections.shuffle(a, reference);
            Collections.shuffle(b, r);
            assertEquals(a, b, "shuffle, seed " + seed);
            for (int i = 0; i < 500; i++) {
                int bound = 1 + (i % 13);
                assertEquals(reference.nextInt(bound), r.nextInt(bound), "nextInt, seed " + seed);
                if (i % 3 == 0) {
                    double peeked = r.peekDouble();
                    assertEquals(peeked, r.peekDouble(), "a peek draws nothing");
                    double drawn = r.nextDouble();
                    assertEquals(reference.nextDouble(), drawn, "nextDouble, seed " + seed);
                    assertEquals(drawn, peeked, "peekDouble, seed " + seed);
                }
            }
        }
    }
}
