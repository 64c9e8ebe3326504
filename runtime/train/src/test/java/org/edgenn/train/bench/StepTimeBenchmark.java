package org.edgenn.train.bench;

import org.edgenn.train.data.SparseCoding;
import org.edgenn.train.loop.Progress;
import org.edgenn.train.loop.Trainer;
import org.edgenn.train.quant.Calibration;
import org.edgenn.train.quant.FakeQuant;
import org.edgenn.train.sd.Shrink;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Time of one optimizer step of 16-step LISTA (batch 64) with int8 fake-quant nodes on every weight and step output,
 * as generated trainers build it: QAT off (float epochs) and on. Reports the median wall time and the median process
 * CPU time per step (the CPU time is the steadier figure on a shared machine), after warm-up steps.
 * <pre>java -cp ... org.edgenn.train.bench.StepTimeBenchmark   (-Dsteps=20 -Dbatch=64)</pre>
 */
public final class StepTimeBenchmark {
    public static void main(String[] args) {
        int steps = Integer.getInteger("steps", 20), batch = Integer.getInteger("batch", 64), k = 16;
        SparseCoding prob = SparseCoding.lista(42);
        INDArray a = prob.dictionary();
        double L = ListaBenchmark.lipschitz(a);
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("We", a.div(L));
        INDArray s = Nd4j.eye(ListaBenchmark.N).castTo(DataType.FLOAT).sub(a.transpose().mmul(a).div(L));
        for (int j = 0; j < k; j++) {
            p.put("theta_" + j, Nd4j.scalar(DataType.FLOAT, (float) Shrink.inverseSoftplus(0.1 / L)).reshape(1));
            if (j > 0) p.put("S_" + j, s.dup());
        }
        System.out.printf(Locale.ROOT, "LISTA-%d step, batch %d, %d timed steps; load average %.2f%n", k, batch, steps, load());
        for (boolean qat : new boolean[] {false, true}) {
            SameDiff sd = ListaBenchmark.build(k, p, true);
            if (qat) Calibration.run(sd, prob.stream(batch, 5, 1), List.of("y"), 5);
            FakeQuant.setEnabled(sd, qat);
            Trainer t = Trainer.on(sd).inputs("y").labels("x_target").loss("loss").updater(new Adam(1e-4)).epochs(1);
            t.fit(prob.stream(batch, 3, 2));   // warm-up: gradient function, JIT
            double[] wall = new double[steps], cpu = new double[steps];
            t.progress(new Progress.Listener() {
                long w0 = System.nanoTime(), c0 = cpuNanos();
                @Override public void onBatch(Progress pr) {
                    long w = System.nanoTime(), c = cpuNanos();
                    wall[pr.batch() - 1] = (w - w0) / 1e6;
                    cpu[pr.batch() - 1] = (c - c0) / 1e6;
                    w0 = w;
                    c0 = c;
                }
                @Override public void onEpochEnd(Progress.EpochRecord r) {}
            });
            t.fit(prob.stream(batch, steps, 3));
            System.out.printf(Locale.ROOT, "QAT %-3s: %d graph ops, median %.0f ms wall, %.0f ms CPU per step%n",
                    qat ? "on" : "off", sd.getOps().size(), median(wall), median(cpu));
        }
        System.out.printf(Locale.ROOT, "load average %.2f%n", load());
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
