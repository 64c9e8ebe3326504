package org.edgenn.generator.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgenn.ir.graph.Program;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native memory stays bounded over a few hundred steps of the generated CSC denoiser trainer, in a forked JVM with a
 * large heap (so heap pressure alone would rarely collect ND4J's buffers) and no JavaCPP limits: the trainer's own
 * budget ({@code -Dedgenn.train.maxNativeBytes}) must keep the peak resident size under the cap. The network is the
 * example's structure (8 unrolled ISTA steps, tied 7x7 dictionaries, per-channel thresholds, fake-quant nodes) at
 * 16 atoms and 32 x 32 images so that CI runs it in seconds.
 */
class NativeMemoryBoundTest {
    private static final long MIB = 1L << 20;
    /** The trainer's budget and the cap the peak must stay under (budget + one step's working set + slack). */
    static final long BUDGET = 700 * MIB, CAP = 900 * MIB;
    static final int STEPS = 200;

    @TempDir
    Path dir;

    @Test
    void cscDenoiserTrainerStaysUnderItsNativeBudget() throws Exception {
        Map<String, Long> r = run(BUDGET);
        assertEquals(STEPS, r.get("steps"));
        assertTrue(r.get("collections") > 0, "the budget was reached and enforced: " + r);
        assertTrue(r.get("peak_rss") <= CAP, "peak resident size " + r.get("peak_rss") / MIB + " MiB > cap " + CAP / MIB + " MiB: " + r);
    }

    /** Generates and compiles the small CSC trainer, runs it in a child JVM with the given budget, returns its report. */
    Map<String, Long> run(long budget) throws Exception {
        Program p = Lowered.text(dir.resolve("csc"), "csc.edgenn", Files.readString(Lowered.EXAMPLES.resolve("denoise/csc_denoiser.edgenn"))
                .replace("import \"../targets/tiny16.edgenn\"", "").replaceAll("budget[^\n]*", "")
                .replace("64, 64, 64", "16, 32, 32").replace("1, 64, 64", "1, 32, 32").replace("64 ->", "16 ->").replace("-> 64", "-> 16")
                .replace("f32[64]", "f32[16]"));
        GeneratedTrainer g = Generated.trainer(p, "CscDenoiser");
        InMemoryCompiler.Result compiled = Generated.compile(g);
        Path classes = dir.resolve("classes");
        for (Map.Entry<String, byte[]> e : compiled.classes().entrySet()) {
            Path f = classes.resolve(e.getKey().replace('.', '/') + ".class");
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dedgenn.train.maxNativeBytes=" + budget, "-cp", classes + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                TrainerMemoryRun.class.getName(), g.qualifiedName(), String.valueOf(STEPS), "4", "32", dir.resolve("out").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(10, TimeUnit.MINUTES), "child timed out");
        assertEquals(0, proc.exitValue(), out);
        System.out.println("budget " + budget / MIB + " MiB: " + out.lines().filter(l -> l.startsWith("steps ")).findFirst().orElse(out));
        Matcher m = Pattern.compile("steps (\\d+) peak_rss (\\d+) collections (\\d+) budget (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Map.of("steps", Long.parseLong(m.group(1)), "peak_rss", Long.parseLong(m.group(2)), "collections", Long.parseLong(m.group(3)),
                "budget", Long.parseLong(m.group(4)));
    }

    /** The control: with a budget it never reaches, the same run grows past the cap, so the test above can fail. */
    @Test
    void withoutABudgetTheSameRunGrowsPastTheCap() throws Exception {
        Map<String, Long> r = run(64L << 30);
        assertEquals(0, r.get("collections"), r.toString());
        assertTrue(r.get("peak_rss") > CAP, "peak resident size " + r.get("peak_rss") / MIB + " MiB: " + r);
    }
}
