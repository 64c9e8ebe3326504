package org.edgenn.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.ScheduleMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgenn explore --schedule}: every candidate costed in the schedule asked for, equal to mapping its concrete
 * instance text directly in that mode (what {@code edgenn map --schedule} does); and a stored exploration resumes only
 * with the text, block and schedule it was started with.
 */
class ExploreScheduleTest {
    @TempDir
    Path dir;

    private Explorer.Outcome explore(String text, Path out, boolean resume, ScheduleMode schedule) throws Exception {
        Path file = dir.resolve("small.edgenn");
        Files.writeString(file, text);
        try (Engine engine = new InProcessEngine(2)) {
            return Explorer.run(new Explorer.Options(file, text, null, out, resume, engine,
                    new PrintWriter(new StringWriter()), schedule));
        }
    }

    @Test
    void candidatesAreCostedInTheScheduleAskedFor() throws Exception {
        String text = SmallSpace.text("grid");
        Explorer.Outcome network = explore(text, dir.resolve("net"), false, ScheduleMode.NETWORK);
        Explorer.Outcome layers = explore(text, dir.resolve("lbl"), false, ScheduleMode.LAYER_BY_LAYER);
        int cheaper = 0;
        for (int i = 0; i < network.screened().size(); i++) {
            Result n = network.screened().get(i);
            Result l = layers.screened().stream().filter(r -> r.candidate().key().equals(n.candidate().key()))
                    .findFirst().orElseThrow();
            assertEquals(n.feasible(), l.feasible(), n.candidate().key());
            if (!n.feasible()) {
                continue;
            }
            for (var mode : List.of(ScheduleMode.NETWORK, ScheduleMode.LAYER_BY_LAYER)) {
                Result r = mode == ScheduleMode.NETWORK ? n : l;
                NetworkMapping direct = DirectMapping.of(r, mode);
                assertEquals(direct.totalEnergyPj() * 1e-12, r.metric("energy"), 1e-12 * r.metric("energy"), mode + " " + r.candidate().key());
                assertEquals(direct.totalLatencySeconds(), r.metric("latency"), 1e-12 * r.metric("latency"), mode + " " + r.candidate().key());
            }
            // the network schedule is never worse on its objective (fusion alone is among its settings)
            assertTrue(n.metric("edp") <= l.metric("edp") * (1 + 1e-12), n.candidate().key());
            if (n.metric("edp") < 0.99 * l.metric("edp")) {
                cheaper++;
            }
        }
        assertTrue(cheaper > 0, "the ReLU fused into its dense layer saves a DRAM round trip somewhere");
    }

    @Test
    void aStoredExplorationResumesOnlyWithItsTextBlockAndSchedule() throws Exception {
        String text = SmallSpace.text("grid");
        Path out = dir.resolve("run");
        explore(text, out, false, ScheduleMode.NETWORK);
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> explore(text, out, true, ScheduleMode.LAYER_BY_LAYER));
        assertTrue(other.getMessage().contains("schedule network there, layer-by-layer now"), other.getMessage());
        IllegalArgumentException edited = assertThrows(IllegalArgumentException.class,
                () -> explore(text.replace("$rows: {2, 4, 8}", "$rows: {2, 4, 16}"), out, true, ScheduleMode.NETWORK));
        assertTrue(edited.getMessage().contains("the file's text") && edited.getMessage().contains("choose another --out"),
                edited.getMessage());
        // the same text, block and schedule resume (everything from the store)
        Explorer.Outcome resumed = explore(text, out, true, ScheduleMode.NETWORK);
        assertEquals(24, resumed.screened().size());
        Files.writeString(out.resolve("exploration.json"), "not json");
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> explore(text, out, true, ScheduleMode.NETWORK));
        assertTrue(broken.getMessage().contains("is not an exploration's fingerprint"), broken.getMessage());
    }
}
