package org.edgenn.generator.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.loop.NativeMemory;
import org.edgenn.train.loop.Progress;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The child JVM of {@link NativeMemoryBoundTest}: runs a compiled generated trainer (class files on its class path) for
 * {@code steps} optimizer steps on random images {@code [1, size, size]} and prints its peak resident size.
 * <pre>TrainerMemoryRun CLASS STEPS BATCH SIZE OUTDIR</pre>
 */
public final class TrainerMemoryRun {
    private TrainerMemoryRun() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> c = Class.forName(args[0]);
        int steps = Integer.parseInt(args[1]), batch = Integer.parseInt(args[2]), size = Integer.parseInt(args[3]);
        Object t = c.getConstructor().newInstance();
        c.getField("epochs").set(t, 1);
        c.getField("batch").set(t, batch);
        Nd4j.getRandom().setSeed(5);
        long n = (long) steps * batch;
        c.getField("trainData").set(t, ArrayBatches.of(Nd4j.rand(DataType.FLOAT, n, 1, size, size),
                Nd4j.rand(DataType.FLOAT, n, 1, size, size), batch, false, 1));
        c.getField("heldOutData").set(t, ArrayBatches.of(Nd4j.rand(DataType.FLOAT, batch, 1, size, size),
                Nd4j.rand(DataType.FLOAT, batch, 1, size, size), batch, false, 2));
        AtomicLong done = new AtomicLong();
        Progress.Listener count = p -> done.incrementAndGet();
        c.getMethod("train", Path.class, Progress.Listener.class).invoke(t, Path.of(args[4]), count);
        System.out.printf(Locale.ROOT, "steps %d peak_rss %d collections %d budget %d%n", done.get(), peakRss(), NativeMemory.collections(),
                NativeMemory.budget());
    }

    /** The process's peak resident set size in bytes ({@code VmHWM} of /proc/self/status). */
    static long peakRss() throws java.io.IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmHWM in /proc/self/status");
    }
}
