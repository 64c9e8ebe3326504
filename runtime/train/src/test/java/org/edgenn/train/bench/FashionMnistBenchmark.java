package org.edgenn.train.bench;

import org.edgenn.train.data.ArrayBatches;
import org.edgenn.train.data.DataException;
import org.edgenn.train.data.FashionMnist;
import org.edgenn.train.export.Int8Export;
import org.edgenn.train.export.Int8Model;
import org.edgenn.train.export.Int8Tensor;
import org.edgenn.train.loop.ConsoleProgress;
import org.edgenn.train.loop.Optimizers;
import org.edgenn.train.loop.Trainer;
import org.edgenn.train.metrics.Evaluate;
import org.edgenn.train.prune.PruneSchedule;
import org.edgenn.train.prune.Pruning;
import org.edgenn.train.quant.ActivationObserver;
import org.edgenn.train.quant.Calibration;
import org.edgenn.train.quant.FakeQuant;
import org.edgenn.train.sd.Layers;
import org.edgenn.train.sd.Losses;
import org.edgenn.train.sd.Params;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Quality-bar benchmark (not a unit test): small Fashion-MNIST CNN
 * conv3x3(c1) → ReLU → maxpool2 → conv3x3(c2) → ReLU → maxpool2 → dense(hidden) → ReLU → dense(10);
 * float training, then int8 QAT fine-tuning and 50% unstructured magnitude pruning (gradual) fine-tuning,
 * both starting from the float weights.
 *
 * <pre>mvn -pl runtime/train -am test-compile exec:java -Dexec.mainClass=org.edgenn.train.bench.FashionMnistBenchmark</pre>
 * Properties: fm.c1 (32), fm.c2 (64), fm.hidden (128), fm.epochs (5), fm.qatEpochs (1), fm.pruneEpochs (2),
 * fm.batch (64), fm.lr (1e-3), fm.trainLimit (all), fm.ftLimit (examples for the QAT / pruning fine-tuning, all).
 */
public final class FashionMnistBenchmark {
    public static void main(String[] args) {
        int c1 = Integer.getInteger("fm.c1", 32), c2 = Integer.getInteger("fm.c2", 64), hid = Integer.getInteger("fm.hidden", 128);
        int epochs = Integer.getInteger("fm.epochs", 5), qatEpochs = Integer.getInteger("fm.qatEpochs", 1);
        int pruneEpochs = Integer.getInteger("fm.pruneEpochs", 2), batch = Integer.getInteger("fm.batch", 64);
        double lr = Double.parseDouble(System.getProperty("fm.lr", "1e-3"));
        Path dir = FashionMnist.locate();
        if (dir == null) throw new DataException("Fashion-MNIST not found: apt-get install dataset-fashion-mnist");
        FashionMnist.Split train = FashionMnist.load(dir, true);
        FashionMnist.Split test = FashionMnist.load(dir, false);
        INDArray trX = train.images(), trY = train.labels();
        int limit = Integer.getInteger("fm.trainLimit", (int) train.size());
        if (limit < train.size()) {
            trX = trX.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, limit)).dup();
            trY = trY.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, limit)).dup();
        }
        ArrayBatches tr = ArrayBatches.of(trX, trY, batch, true, 1);
        int ftLimit = Integer.getInteger("fm.ftLimit", (int) trX.size(0));
        ArrayBatches ft = ftLimit >= trX.size(0) ? tr : ArrayBatches.of(
                trX.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, ftLimit)).dup(),
                trY.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, ftLimit)).dup(), batch, true, 2);
        ArrayBatches te = ArrayBatches.of(test.images(), test.labels(), 500, false, 0);
        System.out.printf(Locale.ROOT, "Fashion-MNIST CNN conv%d-conv%d-dense%d, train %d, test %d, batch %d%n", c1, c2, hid,
                trX.size(0), test.size(), batch);

        Map<String, INDArray> p = new LinkedHashMap<>();
        SameDiff sd = build(c1, c2, hid, null, Mode.FLOAT, 0);
        int steps = tr.batchesPerEpoch() * epochs;
        Trainer.TrainResult fr = Trainer.on(sd).inputs("image").labels("label").loss("loss")
                .updater(new Adam(Optimizers.cosine(lr, lr * 0.05, steps))).epochs(epochs)
                .metric("test_acc", true, g -> Evaluate.accuracy(g, te, "logits"))
                .progress(ConsoleProgress.stdout()).fit(tr);
        for (String n : PARAMS) p.put(n, sd.getArrForVarName(n).dup());
        double floatAcc = fr.last().metric();
        System.out.printf(Locale.ROOT, "FLOAT: test accuracy %.4f, %.1f s/epoch%n", floatAcc, fr.meanEpochSeconds());

        // ---- int8 QAT ----
        SameDiff q = build(c1, c2, hid, p, Mode.QAT, 0);
        Calibration.run(q, ft, List.of("image"), 20);
        double ptq = Evaluate.accuracy(q, te, List.of("image"), "logits");
        System.out.printf(Locale.ROOT, "INT8 PTQ (20 calibration batches): %.4f%n", ptq);
        Trainer.TrainResult qr = Trainer.on(q).inputs("image").labels("label").loss("loss")
                .updater(new Adam(Optimizers.cosine(lr * 0.1, lr * 0.01, (long) ft.batchesPerEpoch() * qatEpochs))).epochs(qatEpochs)
                .metric("int8_acc", true, g -> Evaluate.accuracy(g, te, "logits"))
                .progress(ConsoleProgress.stdout()).fit(ft);
        for (ActivationObserver o : Calibration.observers(q)) o.freeze();
        double qatAcc = Evaluate.accuracy(q, te, List.of("image"), "logits");
        Int8Model qm = export(q, "fmnist_int8");
        System.out.printf(Locale.ROOT, "INT8 QAT: test accuracy %.4f (float %.4f, delta %.2f points), %.1f s/epoch; %d int8 weights%n",
                qatAcc, floatAcc, 100 * (floatAcc - qatAcc), qr.meanEpochSeconds(), qm.int8Count());

        // ---- 50% pruning ----
        SameDiff pr = build(c1, c2, hid, p, Mode.PRUNE, ft.batchesPerEpoch());
        Trainer.TrainResult prr = Trainer.on(pr).inputs("image").labels("label").loss("loss")
                .updater(new Adam(Optimizers.cosine(lr * 0.3, lr * 0.01, (long) ft.batchesPerEpoch() * pruneEpochs))).epochs(pruneEpochs)
                .metric("pruned_acc", true, g -> Evaluate.accuracy(g, te, "logits"))
                .progress(ConsoleProgress.stdout()).fit(ft);
        double prAcc = prr.last().metric();
        Int8Model pm = export(pr, "fmnist_pruned");
        long zeros = 0, total = 0;
        for (String w : WEIGHTS) { Int8Tensor t = pm.tensor(w); zeros += t.zeros(); total += t.length(); }
        System.out.printf(Locale.ROOT, "PRUNED 50%%: test accuracy %.4f (delta %.2f points), %.1f s/epoch; exported weight zeros %.4f%n",
                prAcc, 100 * (floatAcc - prAcc), prr.meanEpochSeconds(), (double) zeros / total);
        System.out.printf(Locale.ROOT, "SUMMARY float %.4f | int8 PTQ %.4f | int8 QAT %.4f | pruned50 %.4f | float %.1f s/epoch, QAT %.1f s/epoch, prune %.1f s/epoch%n",
                floatAcc, ptq, qatAcc, prAcc, fr.meanEpochSeconds(), qr.meanEpochSeconds(), prr.meanEpochSeconds());
    }

    static final String[] WEIGHTS = {"conv1_w", "conv2_w", "fc1_w", "fc2_w"};
    static final String[] PARAMS = {"conv1_w", "conv1_b", "conv2_w", "conv2_b", "fc1_w", "fc1_b", "fc2_w", "fc2_b"};

    enum Mode { FLOAT, QAT, PRUNE }

    static SameDiff build(int c1, int c2, int hid, Map<String, INDArray> p, Mode mode, int batchesPerEpoch) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("image", DataType.FLOAT, -1, 1, 28, 28);
        SDVariable y = sd.placeHolder("label", DataType.FLOAT, -1, 10);
        SDVariable w1 = p == null ? Params.he(sd, "conv1_w", 1, 3, 3, 1, c1) : Params.of(sd, "conv1_w", p.get("conv1_w"));
        SDVariable b1 = p == null ? Params.zeros(sd, "conv1_b", c1) : Params.of(sd, "conv1_b", p.get("conv1_b"));
        SDVariable w2 = p == null ? Params.he(sd, "conv2_w", 2, 3, 3, c1, c2) : Params.of(sd, "conv2_w", p.get("conv2_w"));
        SDVariable b2 = p == null ? Params.zeros(sd, "conv2_b", c2) : Params.of(sd, "conv2_b", p.get("conv2_b"));
        SDVariable w3 = p == null ? Params.he(sd, "fc1_w", 3, 7L * 7 * c2, hid) : Params.of(sd, "fc1_w", p.get("fc1_w"));
        SDVariable b3 = p == null ? Params.zeros(sd, "fc1_b", hid) : Params.of(sd, "fc1_b", p.get("fc1_b"));
        SDVariable w4 = p == null ? Params.glorot(sd, "fc2_w", 4, hid, 10) : Params.of(sd, "fc2_w", p.get("fc2_w"));
        SDVariable b4 = p == null ? Params.zeros(sd, "fc2_b", 10) : Params.of(sd, "fc2_b", p.get("fc2_b"));
        boolean qat = mode == Mode.QAT;
        if (mode == Mode.PRUNE) {
            PruneSchedule s = PruneSchedule.gradualEpochs(0.5, 0, 1, batchesPerEpoch);
            w1 = Pruning.magnitude(sd, w1, s);
            w2 = Pruning.magnitude(sd, w2, s);
            w3 = Pruning.magnitude(sd, w3, s);
            w4 = Pruning.magnitude(sd, w4, s);
        }
        if (qat) {
            x = FakeQuant.activations(sd, x, ActivationObserver.ema("image", 0.99));
            w1 = FakeQuant.weightsPerChannel(sd, w1, 8);
            w2 = FakeQuant.weightsPerChannel(sd, w2, 8);
            w3 = FakeQuant.weightsPerChannel(sd, w3, 8);
            w4 = FakeQuant.weightsPerChannel(sd, w4, 8);
        }
        SDVariable h = Layers.relu(sd, "conv1", Layers.conv2dSame(sd, "conv1_pre", x, w1, b1));
        if (qat) h = FakeQuant.activations(sd, h, ActivationObserver.ema("conv1", 0.99));
        h = Layers.maxPool2d(sd, "pool1", h, 2, 2);
        h = Layers.relu(sd, "conv2", Layers.conv2dSame(sd, "conv2_pre", h, w2, b2));
        if (qat) h = FakeQuant.activations(sd, h, ActivationObserver.ema("conv2", 0.99));
        h = Layers.maxPool2d(sd, "pool2", h, 2, 2);
        h = Layers.flatten(sd, "flat", h, 7L * 7 * c2);
        h = Layers.relu(sd, "fc1", Layers.dense(sd, "fc1_pre", h, w3, b3));
        if (qat) h = FakeQuant.activations(sd, h, ActivationObserver.ema("fc1", 0.99));
        SDVariable logits = Layers.dense(sd, "logits_f", h, w4, b4);
        if (qat) logits = FakeQuant.activations(sd, logits, ActivationObserver.ema("logits", 0.99));
        logits = logits.rename("logits");
        Losses.named(Losses.crossEntropy(sd, logits, y), "loss");
        return sd;
    }

    static Int8Model export(SameDiff sd, String name) {
        Int8Export.Builder b = Int8Export.builder(name);
        for (String w : WEIGHTS) b.weightsPerChannel(w, sd.getArrForVarName(w));
        List<ActivationObserver> obs = Calibration.observers(sd);
        if (!obs.isEmpty()) {
            Map<String, ActivationObserver> byName = new LinkedHashMap<>();
            for (ActivationObserver o : obs) { byName.put(o.name(), o); b.activation(o.name(), o.params()); }
            String[] inputs = {"image", "conv1", "conv2", "fc1"};
            String[] biases = {"conv1_b", "conv2_b", "fc1_b", "fc2_b"};
            for (int i = 0; i < 4; i++) b.bias(biases[i], sd.getArrForVarName(biases[i]), byName.get(inputs[i]).params(), WEIGHTS[i]);
        }
        return b.build();
    }
}
