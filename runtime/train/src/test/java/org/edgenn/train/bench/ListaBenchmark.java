package org.edgenn.train.bench;

import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.data.BatchSource;
import org.edgenn.train.data.SparseCoding;
import org.edgenn.train.export.Int8Export;
import org.edgenn.train.export.Int8Model;
import org.edgenn.train.loop.LayerwiseCurriculum;
import org.edgenn.train.loop.Optimizers;
import org.edgenn.train.loop.Progress;
import org.edgenn.train.loop.Trainer;
import org.edgenn.train.metrics.Evaluate;
import org.edgenn.train.metrics.Metrics;
import org.edgenn.train.quant.ActivationObserver;
import org.edgenn.train.quant.Calibration;
import org.edgenn.train.quant.FakeQuant;
import org.edgenn.train.sd.Layers;
import org.edgenn.train.sd.Losses;
import org.edgenn.train.sd.Params;
import org.edgenn.train.sd.Shrink;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Quality-bar benchmark (not a unit test): LISTA with K untied steps on the noiseless synthetic problem
 * (m=250, n=500, Bernoulli(0.1)), Gregor &amp; LeCun initialisation from A, stage-wise (curriculum) training
 * x_1, x_2, ..., x_K, then QAT fine-tuning; ISTA and FISTA at K iterations as peers.
 *
 * <pre>mvn -pl runtime/train -am test-compile exec:java -Dexec.mainClass=org.edgenn.train.bench.ListaBenchmark
 *     -Dlista.stageSteps=1500 ...</pre>
 * System properties: lista.K (16), lista.stageSteps, lista.finalSteps, lista.qatSteps, lista.batch (128), lista.lr (5e-4).
 */
public final class ListaBenchmark {
    static final int M = 250, N = 500;
    /** lista.untied: a W_e per step (LISTA as in Chen et al. 2018, W1_k untied) instead of one shared W_e. */
    static final boolean UNTIED = Boolean.getBoolean("lista.untied");

    public static void main(String[] args) {
        int K = Integer.getInteger("lista.K", 16);
        int stageSteps = Integer.getInteger("lista.stageSteps", 1500);
        int finalSteps = Integer.getInteger("lista.finalSteps", 3000);
        int qatSteps = Integer.getInteger("lista.qatSteps", 1500);
        int batch = Integer.getInteger("lista.batch", 128);
        double lr = Double.parseDouble(System.getProperty("lista.lr", "5e-4"));
        long t0 = System.nanoTime();
        SparseCoding prob = SparseCoding.lista(42);
        ArrayBatches heldOut = prob.heldOut(1000, 250, 7);
        INDArray a = prob.dictionary();
        double L = lipschitz(a);
        System.out.printf(Locale.ROOT, "LISTA benchmark: m=%d n=%d p=0.1 noiseless, K=%d, L=%.4f, batch %d%n", M, N, K, L, batch);

        // ---- peers: ISTA / FISTA at K iterations with the best lambda on the held-out set ----
        double bestIsta = 1e9, bestFista = 1e9, bestLamIsta = 0, bestLamFista = 0;
        INDArray yH = cat(heldOut, true), xH = cat(heldOut, false);
        for (double lam : new double[] {0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5}) {
            double di = Metrics.nmseDb(ista(a, L, yH, lam, K, false), xH);
            double df = Metrics.nmseDb(ista(a, L, yH, lam, K, true), xH);
            if (di < bestIsta) { bestIsta = di; bestLamIsta = lam; }
            if (df < bestFista) { bestFista = df; bestLamFista = lam; }
        }
        System.out.printf(Locale.ROOT, "peers @%d iterations: ISTA %.2f dB (lambda %.2f), FISTA %.2f dB (lambda %.2f)%n",
                K, bestIsta, bestLamIsta, bestFista, bestLamFista);

        String load = System.getProperty("lista.load");
        String save = System.getProperty("lista.save");
        Map<String, INDArray> p = new LinkedHashMap<>();
        double floatDb;
        if (load != null) {
            p = loadParams(java.nio.file.Paths.get(load), K);
            floatDb = Evaluate.nmseDb(build(K, p, false), heldOut, List.of("y"), "x_" + K);
            System.out.printf(Locale.ROOT, "FLOAT LISTA-%d (loaded from %s): %.2f dB%n", K, load, floatDb);
            if (finalSteps > 0) {
                floatDb = fineTune(prob, heldOut, K, finalSteps, batch, lr, p, 0);
                if (save != null) saveParams(java.nio.file.Paths.get(save), p);
            }
        } else if (Integer.getInteger("lista.greedyEpochs", 0) > 0) {
            floatDb = trainGreedy(prob, heldOut, a, L, K, Integer.getInteger("lista.greedyEpochs", 0),
                    Integer.getInteger("lista.greedyN", 100_000), Integer.getInteger("lista.greedyBatch", 256), lr, p);
            if (save != null) saveParams(java.nio.file.Paths.get(save + "_greedy"), p);
            floatDb = fineTune(prob, heldOut, K, finalSteps, batch, lr, p, 0);
            if (save != null) saveParams(java.nio.file.Paths.get(save), p);
        } else {
            floatDb = trainFloat(prob, heldOut, a, L, K, stageSteps, finalSteps, batch, lr, p);
            if (save != null) saveParams(java.nio.file.Paths.get(save), p);
        }
        int epochSteps = Math.min(500, Math.max(1, qatSteps));
        qat(prob, heldOut, K, qatSteps, batch, lr, p, epochSteps, floatDb, bestIsta, bestFista, t0);
    }

    static double trainFloat(SparseCoding prob, ArrayBatches heldOut, INDArray a, double L, int K, int stageSteps, int finalSteps,
                             int batch, double lr, Map<String, INDArray> p) {
        // ---- Gregor & LeCun initialisation ----
        double lam0 = 0.1;
        p.put("We", a.div(L));
        INDArray s0 = Nd4j.eye(N).castTo(DataType.FLOAT).sub(a.transpose().mmul(a).div(L));
        p.put("theta_0", Nd4j.scalar(DataType.FLOAT, (float) Shrink.inverseSoftplus(lam0 / L)).reshape(1));

        // ---- stage-wise training ----
        double stageSecTotal = 0;
        for (int k = 1; k <= K; k++) {
            if (k >= 2) {
                // new step initialised from the previous step (or G&L for the first S)
                p.put("S_" + (k - 1), k == 2 ? s0.dup() : p.get("S_" + (k - 2)).dup());
                p.put("theta_" + (k - 1), p.get("theta_" + (k - 2)).dup());
            }
            SameDiff sd = build(k, p, false);
            int steps = stageSteps;
            long ts = System.nanoTime();
            Trainer tr = Trainer.on(sd).inputs("y").labels("x_target").loss("loss")
                    .updater(new Adam(LayerwiseCurriculum.decay(lr, steps)))
                    .epochs(1);
            tr.fit(prob.stream(batch, steps, 1000 + k));
            double sec = (System.nanoTime() - ts) / 1e9;
            stageSecTotal += sec;
            copyOut(sd, p);
            System.out.printf(Locale.ROOT, "stage %2d: held-out NMSE %.2f dB (%.1f s, %.1f ms/step)%n", k,
                    Evaluate.nmseDb(sd, heldOut, List.of("y"), "x_" + k), sec, 1000 * sec / steps);
        }
        return fineTune(prob, heldOut, K, finalSteps, batch, lr, p, stageSecTotal);
    }

    /**
     * Greedy layer-wise training: step k is trained alone on the outputs of the frozen steps before it,
     * computed once per stage on {@code n} fresh training vectors, so a stage costs one 500x500 layer per
     * optimizer step instead of k (stage 1 trains W_e and theta_0 on y).
     */
    static double trainGreedy(SparseCoding prob, ArrayBatches heldOut, INDArray a, double L, int K, int epochs, int n,
                              int batch, double lr, Map<String, INDArray> p) {
        double lam0 = 0.1;
        p.put("We", a.div(L));
        p.put("theta_0", Nd4j.scalar(DataType.FLOAT, (float) Shrink.inverseSoftplus(lam0 / L)).reshape(1));
        INDArray s0 = Nd4j.eye(N).castTo(DataType.FLOAT).sub(a.transpose().mmul(a).div(L));
        double db = 0;
        for (int k = 1; k <= K; k++) {
            long ts = System.nanoTime();
            org.nd4j.linalg.dataset.api.MultiDataSet data = prob.batch(n, new java.util.Random(5000 + k));
            INDArray y = data.getFeatures(0), xt = data.getLabels(0);
            SameDiff sd;
            ArrayBatches train;
            INDArray b = null, x = null;
            if (k == 1) {
                sd = build(1, p, false);
                train = ArrayBatches.of(y, xt, batch, true, k);
            } else {
                p.put("S_" + (k - 1), k == 2 ? s0.dup() : p.get("S_" + (k - 2)).dup());
                p.put("theta_" + (k - 1), p.get("theta_" + (k - 2)).dup());
                if (UNTIED) p.put("We_" + (k - 1), p.get(k == 2 ? "We" : "We_" + (k - 2)).dup());
                x = prefix(y, p, k - 1);
                sd = step(p, k - 1);
                b = UNTIED ? y : y.mmul(p.get("We"));
                train = new ArrayBatches(new INDArray[] {b, x}, new INDArray[] {xt}, batch, true, k);
            }
            int steps = train.batchesPerEpoch() * epochs;
            Trainer.on(sd).inputs(k == 1 ? new String[] {"y"} : new String[] {"b", "x_in"}).labels("x_target").loss("loss")
                    .updater(new Adam(LayerwiseCurriculum.decay(lr, steps)))
                    .epochs(epochs).fit(train);
            copyOut(sd, p);
            if (k > 1) { if (b != y) b.close(); x.close(); }
            if (System.getProperty("lista.save") != null) saveParams(java.nio.file.Paths.get(System.getProperty("lista.save") + "_greedy"), p);
            y.close();
            xt.close();
            System.gc();
            db = Evaluate.nmseDb(build(k, p, false), heldOut, List.of("y"), "x_" + k);
            System.out.printf(Locale.ROOT, "greedy stage %2d: held-out NMSE %.2f dB, theta %.5f (%.1f s, %d steps of %d)%n", k, db,
                    Shrink.softplus(p.get("theta_" + (k - 1)).getDouble(0)), (System.nanoTime() - ts) / 1e9, steps, batch);
        }
        return db;
    }

    /** x_k of the frozen first k steps for measurements y (in place where possible: n x 500 arrays are large). */
    static INDArray prefix(INDArray y, Map<String, INDArray> p, int k) {
        INDArray b = y.mmul(p.get("We"));
        INDArray x = softInPlace(b.dup(), Shrink.softplus(p.get("theta_0").getDouble(0)));
        for (int j = 1; j < k; j++) {
            INDArray pre = x.mmul(p.get("S_" + j));
            if (UNTIED) {
                INDArray bj = y.mmul(p.get("We_" + j));
                pre.addi(bj);
                bj.close();
            } else {
                pre.addi(b);
            }
            x.close();
            x = softInPlace(pre, Shrink.softplus(p.get("theta_" + j).getDouble(0)));
        }
        b.close();
        return x;
    }

    static INDArray softInPlace(INDArray u, double th) {
        INDArray sign = Transforms.sign(u, true);
        Transforms.abs(u, false).subi(th);
        Transforms.relu(u, false).muli(sign);
        sign.close();
        return u;
    }

    /**
     * One LISTA step alone: x_{j+1} = soft(b + x_in S_j, theta_j), with b and x_in given; untied, the placeholder
     * "b" holds y and the step computes b = y We_j itself.
     */
    static SameDiff step(Map<String, INDArray> p, int j) {
        SameDiff sd = SameDiff.create();
        SDVariable b = UNTIED ? Layers.dense(sd, "b_" + j, sd.placeHolder("b", DataType.FLOAT, -1, M), Params.of(sd, "We_" + j, p.get("We_" + j)), null)
                : sd.placeHolder("b", DataType.FLOAT, -1, N);
        SDVariable xin = sd.placeHolder("x_in", DataType.FLOAT, -1, N);
        SDVariable xt = sd.placeHolder("x_target", DataType.FLOAT, -1, N);
        SDVariable s = Params.of(sd, "S_" + j, p.get("S_" + j));
        SDVariable x = Shrink.soft(sd, "x_out", b.add(Layers.dense(sd, "Sx", xin, s, null)), Params.of(sd, "theta_" + j, p.get("theta_" + j)));
        Losses.named(Losses.nmse(sd, x, xt), "loss");
        return sd;
    }

    /** Joint fine-tuning of all K steps with a decaying learning rate. */
    static double fineTune(SparseCoding prob, ArrayBatches heldOut, int K, int finalSteps, int batch, double lr,
                           Map<String, INDArray> p, double stageSecTotal) {
        SameDiff sd = build(K, p, false);
        int epochSteps = Math.min(500, Math.max(1, finalSteps));
        int fe = Math.max(1, finalSteps / epochSteps);
        Trainer tr = Trainer.on(sd).inputs("y").labels("x_target").loss("loss")
                .updater(new Adam(Optimizers.piecewise(new int[] {0, fe * epochSteps / 2, fe * epochSteps * 8 / 10}, new double[] {lr * 0.2, lr * 0.05, lr * 0.01})))
                .epochs(fe)
                .metric("nmse_db", false, g -> Evaluate.nmseDb(g, heldOut, List.of("y"), "x_" + K))
                .progress(new Progress.Listener() {
                    @Override public void onBatch(Progress pr) {}
                    @Override public void onEpochEnd(Progress.EpochRecord r) {
                        System.out.printf(Locale.ROOT, "  finetune epoch %d (%d steps): loss %.3e, held-out %.2f dB, %.1f s%n",
                                r.epoch(), epochSteps, r.meanLoss(), r.metric(), r.seconds());
                    }
                });
        Trainer.TrainResult res = tr.fit(prob.stream(batch, epochSteps, Long.getLong("lista.ftSeed", 77)));
        copyOut(sd, p);
        double floatDb = Evaluate.nmseDb(sd, heldOut, List.of("y"), "x_" + K);
        System.out.printf(Locale.ROOT, "FLOAT LISTA-%d: %.2f dB on 1000 held-out vectors; stage-wise %.0f s, fine-tune %.1f s/epoch of %d steps%n",
                K, floatDb, stageSecTotal, res.meanEpochSeconds(), epochSteps);
        return floatDb;
    }

    static void qat(SparseCoding prob, ArrayBatches heldOut, int K, int qatSteps, int batch, double lr, Map<String, INDArray> p,
                    int epochSteps, double floatDb, double bestIsta, double bestFista, long t0) {

        // ---- int8: PTQ (calibration only) then QAT ----
        SameDiff q = build(K, p, true);
        BatchSource calib = prob.stream(batch, 20, 4242);
        Calibration.run(q, calib, List.of("y"), 20);
        double ptqDb = Evaluate.nmseDb(q, heldOut, List.of("y"), "x_" + K);
        System.out.printf(Locale.ROOT, "INT8 PTQ (min/max calibration, 20 batches): %.2f dB%n", ptqDb);
        int qe = Math.max(1, qatSteps / epochSteps);
        Trainer tq = Trainer.on(q).inputs("y").labels("x_target").loss("loss")
                .updater(new Adam(Optimizers.piecewise(new int[] {0, qe * epochSteps / 2}, new double[] {lr * 0.05, lr * 0.01})))
                .epochs(qe)
                .metric("nmse_db", false, g -> Evaluate.nmseDb(g, heldOut, List.of("y"), "x_" + K))
                .progress(new Progress.Listener() {
                    @Override public void onBatch(Progress pr) {}
                    @Override public void onEpochEnd(Progress.EpochRecord r) {
                        System.out.printf(Locale.ROOT, "  QAT epoch %d: held-out int8 %.2f dB, %.1f s%n", r.epoch(), r.metric(), r.seconds());
                    }
                });
        Trainer.TrainResult qres = tq.fit(prob.stream(batch, epochSteps, 99));
        for (ActivationObserver o : Calibration.observers(q)) o.freeze();
        double qatDb = Evaluate.nmseDb(q, heldOut, List.of("y"), "x_" + K);
        // export and check the exported int8 weights reproduce the fake-quant weights
        Int8Model model = exportModel(q, K);
        System.out.printf(Locale.ROOT, "INT8 QAT: %.2f dB (%.1f s/epoch of %d steps); exported %d tensors, %d int8 weights%n",
                qatDb, qres.meanEpochSeconds(), epochSteps, model.tensors().size(), model.int8Count());
        System.out.printf(Locale.ROOT, "SUMMARY K=%d float %.2f dB | int8 PTQ %.2f dB | int8 QAT %.2f dB | ISTA %.2f dB | FISTA %.2f dB | total %.1f min%n",
                K, floatDb, ptqDb, qatDb, bestIsta, bestFista, (System.nanoTime() - t0) / 60e9);
    }

    static void saveParams(java.nio.file.Path dir, Map<String, INDArray> p) {
        try {
            java.nio.file.Files.createDirectories(dir);
            for (Map.Entry<String, INDArray> e : p.entrySet()) Nd4j.saveBinary(e.getValue(), dir.resolve(e.getKey() + ".bin").toFile());
        } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
    }

    static Map<String, INDArray> loadParams(java.nio.file.Path dir, int K) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        List<String> names = new java.util.ArrayList<>(List.of("We"));
        for (int k = 0; k < K; k++) names.add("theta_" + k);
        for (int k = 1; k < K; k++) names.add("S_" + k);
        for (int k = 1; k < K; k++) if (java.nio.file.Files.exists(dir.resolve("We_" + k + ".bin"))) names.add("We_" + k);
        try {
            for (String n : names) p.put(n, Nd4j.readBinary(dir.resolve(n + ".bin").toFile()));
        } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
        return p;
    }

    static Int8Model exportModel(SameDiff q, int K) {
        Int8Export.Builder b = Int8Export.builder("lista");
        b.weightsPerChannel("We", q.getArrForVarName("We"));
        for (int k = 1; k < K; k++) b.weightsPerChannel("S_" + k, q.getArrForVarName("S_" + k));
        for (int k = 1; k < K; k++) if (q.hasVariable("We_" + k)) b.weightsPerChannel("We_" + k, q.getArrForVarName("We_" + k));
        for (int k = 0; k < K; k++) b.floatTensor("theta_" + k, Transforms.softPlus(q.getArrForVarName("theta_" + k), true));
        for (ActivationObserver o : Calibration.observers(q)) b.activation(o.name(), o.params());
        return b.build();
    }

    /** LISTA graph with k steps: x_1 = soft(y We, th_0), x_{j+1} = soft(y We + x_j S_j, th_j). */
    static SameDiff build(int k, Map<String, INDArray> p, boolean qat) {
        SameDiff sd = SameDiff.create();
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, M);
        SDVariable xt = sd.placeHolder("x_target", DataType.FLOAT, -1, N);
        SDVariable we = Params.of(sd, "We", p.get("We"));
        SDVariable yin = qat ? FakeQuant.activations(sd, y, ActivationObserver.ema("y", 0.99)) : y;
        SDVariable b = Layers.dense(sd, "b", yin, qat ? FakeQuant.weightsPerChannel(sd, we, 8) : we, null);
        SDVariable x = Shrink.soft(sd, qat ? "x_1_f" : "x_1", b, Params.of(sd, "theta_0", p.get("theta_0")));
        if (qat) x = FakeQuant.activations(sd, x, ActivationObserver.ema("x_1", 0.99)).rename("x_1");
        for (int j = 1; j < k; j++) {
            SDVariable s = Params.of(sd, "S_" + j, p.get("S_" + j));
            SDVariable sq = qat ? FakeQuant.weightsPerChannel(sd, s, 8) : s;
            SDVariable bj = b;
            if (p.containsKey("We_" + j)) {
                SDVariable wj = Params.of(sd, "We_" + j, p.get("We_" + j));
                bj = Layers.dense(sd, "b_" + j, yin, qat ? FakeQuant.weightsPerChannel(sd, wj, 8) : wj, null);
            }
            SDVariable pre = bj.add("pre_" + (j + 1), Layers.dense(sd, "Sx_" + (j + 1), x, sq, null));
            x = Shrink.soft(sd, qat ? "x_" + (j + 1) + "_f" : "x_" + (j + 1), pre, Params.of(sd, "theta_" + j, p.get("theta_" + j)));
            if (qat) x = FakeQuant.activations(sd, x, ActivationObserver.ema("x_" + (j + 1), 0.99)).rename("x_" + (j + 1));
        }
        Losses.named(Losses.nmse(sd, x, xt), "loss");
        return sd;
    }

    static void copyOut(SameDiff sd, Map<String, INDArray> p) {
        for (String k : p.keySet()) if (sd.hasVariable(k)) p.put(k, sd.getArrForVarName(k).dup());
    }

    static double lipschitz(INDArray a) {
        INDArray ata = a.transpose().mmul(a).castTo(DataType.DOUBLE);
        INDArray v = Nd4j.rand(DataType.DOUBLE, ata.rows(), 1);
        double l = 0;
        for (int i = 0; i < 300; i++) {
            INDArray w = ata.mmul(v);
            l = w.norm2Number().doubleValue();
            v = w.div(l);
        }
        return l;
    }

    /** ISTA / FISTA in row form on a batch y [b, m]. */
    static INDArray ista(INDArray a, double L, INDArray y, double lam, int iters, boolean fista) {
        INDArray at = a.transpose();
        INDArray x = Nd4j.zeros(DataType.FLOAT, y.rows(), a.columns());
        INDArray z = x.dup();
        double t = 1;
        for (int i = 0; i < iters; i++) {
            INDArray src = fista ? z : x;
            INDArray r = y.sub(src.mmul(at));
            INDArray u = src.add(r.mmul(a).div(L));
            INDArray xn = softInPlace(u, lam / L);
            if (fista) {
                double tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
                z = xn.add(xn.sub(x).mul((t - 1) / tn));
                t = tn;
            }
            x = xn;
        }
        return x;
    }

    static INDArray cat(ArrayBatches b, boolean features) {
        INDArray[] parts = new INDArray[b.batchesPerEpoch()];
        for (int i = 0; i < parts.length; i++) parts[i] = features ? b.batch(0, i).getFeatures(0) : b.batch(0, i).getLabels(0);
        return Nd4j.concat(0, parts);
    }
}
