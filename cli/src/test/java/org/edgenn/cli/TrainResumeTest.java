package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgenn train --resume}: a training JVM killed with SIGKILL after its first checkpoint, then resumed, writes
 * the same trained tensors as a run never interrupted; a changed file refuses the old checkpoint.
 */
class TrainResumeTest {
    @TempDir
    Path dir;

    /** TrainCommandTest's LISTA with QAT switched on after its second epoch: a resume must restore that too. */
    private static final String TINY = TrainCommandTest.TINY.replace("  seed 2\n", "  qat from epoch 2\n  seed 2\n");

    private static final String[] SETTINGS = {"--network", "Tiny", "--batches-per-epoch", "60", "--checkpoint-every", "0"};

    private static List<String> args(String... head) {
        List<String> a = new ArrayList<>(List.of(head));
        a.addAll(List.of(SETTINGS));
        return a;
    }

    @Test
    void aKilledTrainingResumesToTheTensorsOfAnUninterruptedOne() throws Exception {
        Path f = dir.resolve("tiny.edgenn");
        Files.writeString(f, TINY);
        Path whole = dir.resolve("whole");
        List<String> a = args("train", f.toString(), "--out", whole.toString());
        CliRun reference = CliRun.of(a.toArray(String[]::new));
        assertEquals(0, reference.exit(), reference.out() + reference.err());
        assertFalse(Files.exists(whole.resolve(".checkpoint/Tiny.ckpt")), "a finished run deletes its checkpoint");

        Path killed = dir.resolve("killed");
        Path ckpt = killed.resolve(".checkpoint/Tiny.ckpt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.edgenn.cli.EdgeNN"));
        cmd.addAll(args("train", f.toString(), "--out", killed.toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(ckpt) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        child.destroyForcibly();   // SIGKILL: no shutdown hook, no finally block runs
        child.waitFor(30, TimeUnit.SECONDS);
        String log = Files.readString(dir.resolve("child.log"));
        assertTrue(Files.exists(ckpt), "killed after its first checkpoint\n" + log);
        assertFalse(Files.exists(killed.resolve("Tiny.safetensors")), "killed before the end\n" + log);

        CliRun resumed = CliRun.of(args("train", f.toString(), "--out", killed.toString(), "--resume").toArray(String[]::new));
        assertEquals(0, resumed.exit(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("resuming Tiny from"), resumed.out());
        assertFalse(Files.exists(ckpt));
        try (SafetensorsReader want = SafetensorsReader.open(whole.resolve("Tiny.safetensors"));
             SafetensorsReader got = SafetensorsReader.open(killed.resolve("Tiny.safetensors"))) {
            assertEquals(want.names(), got.names());
            for (String n : want.names()) {
                assertArrayEquals(want.readBytes(n), got.readBytes(n), n + " differs after the resume");
            }
        }
    }

    @Test
    void anUnreadableCheckpointIsATypedErrorBeforeTraining() throws Exception {
        Path f = dir.resolve("tiny.edgenn");
        Files.writeString(f, TINY);
        Path out = dir.resolve("out");
        Path ckpt = out.resolve(".checkpoint/Tiny.ckpt");
        Files.createDirectories(ckpt.getParent());
        Files.writeString(ckpt, "garbage");
        CliRun r = CliRun.of(args("train", f.toString(), "--out", out.toString(), "--resume").toArray(String[]::new));
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("edgenn: error: Tiny:") && r.err().contains(ckpt.toString()), r.err());
        assertFalse(r.err().contains("epoch 1/"), "no training started: " + r.err());
        assertTrue(Files.exists(ckpt), "the file is left for the user to inspect");
        CliRun bad = CliRun.of("train", f.toString(), "--network", "Tiny", "--out", out.toString(), "--checkpoint-every", "-1");
        assertEquals(2, bad.exit(), bad.err());
    }
}
