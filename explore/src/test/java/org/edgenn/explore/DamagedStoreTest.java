package org.edgenn.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.edgenn.generator.mapping.ScheduleMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored result damaged after the run (a bad copy, a full disk, a hand edit): {@code --resume} names the file and
 * what is wrong with it, instead of a bare parser message, a NullPointerException, or reading a metric written as
 * text as 0 (a free design on the front); once the file is deleted the run resumes to the uninterrupted front.
 */
class DamagedStoreTest {
    @TempDir
    Path dir;

    private Explorer.Outcome explore(String text, Path out, boolean resume) throws Exception {
        Path file = dir.resolve("small.edgenn");
        Files.writeString(file, text);
        try (Engine engine = new InProcessEngine(2)) {
            return Explorer.run(new Explorer.Options(file, text, null, out, resume, engine,
                    new PrintWriter(new StringWriter()), ScheduleMode.NETWORK));
        }
    }

    private record Damage(String name, UnaryOperator<String> edit, String reason) {
    }

    @Test
    void aDamagedResultIsNamedAndDeletingItResumesToTheSameFront() throws Exception {
        String text = SmallSpace.text("grid");
        Path out = dir.resolve("run");
        Explorer.Outcome whole = explore(text, out, false);
        List<Damage> damages = List.of(
                new Damage("truncated", s -> s.substring(0, s.length() / 2), "Unexpected end-of-input"),
                new Damage("empty", s -> "", "(empty)"),
                new Damage("an array", s -> "[1, 2]", "(not a JSON object)"),
                new Damage("no metrics", s -> s.replace("\"metrics\"", "\"metricz\""), "(no field metrics)"),
                new Damage("a metric as text", s -> s.replaceFirst("\"energy\" : ([0-9.Ee-]+)", "\"energy\" : \"$1 J\""),
                        "(metrics.energy is not a number: \""),
                new Damage("feasible as text", s -> s.replace("\"feasible\" : true", "\"feasible\" : \"yes\""),
                        "(feasible is not true or false: \"yes\")"),
                new Damage("a parameter as a number", s -> s.replaceFirst("\"\\$rows\" : \"(\\d+)\"", "\"\\$rows\" : $1"),
                        "(acceleratorParameters.$rows is not text: "));
        Path victim;
        try (Stream<Path> s = Files.list(out.resolve("candidates"))) {
            victim = s.filter(p -> p.toString().endsWith(".json")).min(Comparator.naturalOrder()).orElseThrow();
        }
        String good = Files.readString(victim);
        assertTrue(good.contains("\"feasible\" : true"), good);
        for (Damage d : damages) {
            String damaged = d.edit().apply(good);
            assertTrue(!damaged.equals(good), d.name() + ": the edit changed nothing");
            Files.writeString(victim, damaged);
            // the store's reader alone (what --resume calls first), except once through the whole exploration
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, d == damages.get(0)
                    ? () -> explore(text, out, true) : () -> new Store(out).load(), d.name());
            assertTrue(e.getMessage().startsWith(victim + ": not a stored result ") && e.getMessage().contains(d.reason())
                    && e.getMessage().endsWith("delete it to evaluate that candidate again, then --resume"), d.name() + ": " + e.getMessage());
        }
        Files.delete(victim);
        Explorer.Outcome resumed = explore(text, out, true);
        assertEquals(whole.screened().size(), resumed.screened().size());
        assertEquals(keys(whole.front()), keys(resumed.front()));
        assertEquals(good, Files.readString(victim), "the deleted result is evaluated again, to the same file");
    }

    private static List<String> keys(List<Result> front) {
        return front.stream().map(r -> r.candidate().key() + " " + r.metrics()).sorted().toList();
    }
}
