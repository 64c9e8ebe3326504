package org.edgenn.generator.training;

import static org.edgenn.generator.training.TrainerWriter.dims;
import static org.edgenn.generator.training.TrainerWriter.num;
import static org.edgenn.generator.training.TrainerWriter.str;

import java.util.List;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Source;
import org.edgenn.ir.spec.vocab.DataSource;
import org.edgenn.ir.spec.vocab.Vocabulary;

/**
 * The trainer's data methods: {@code problem()} for synthetic sparse coding, {@code openData()} with one case per
 * {@link DataSource} record, and {@code checkData()}, which checks the first batch against the placeholders.
 */
final class DataEmitter {
    private final TrainingPlan plan;
    private final Network net;
    private final TrainerWriter out;

    DataEmitter(TrainingPlan plan, TrainerWriter out) {
        this.plan = plan;
        this.net = plan.net();
        this.out = out;
    }


    void emit() {
        DataSource data = plan.data();
        if (data instanceof DataSource.SyntheticSparse ss) {
            Node in = net.inputs().get(0);
            List<Node> labels = net.sources(Source.Role.LABEL);
            int m = ss.m() != null ? ss.m() : (int) in.shape().size();
            int n = ss.n() != null ? ss.n() : labels.isEmpty() ? m : (int) labels.get(0).shape().size();
            out.line("private SparseCoding problem;");
            out.line("");
            out.line("/** The synthetic sparse-coding problem of the train block: y = A x, A " + m + "x" + n
                    + (ss.matrix() == null ? " drawn from the seed" : " read from " + ss.matrix()) + ". */");
            out.open("public SparseCoding problem() {");
            if (ss.matrix() == null) {
                out.line("if (problem == null) problem = new SparseCoding(" + m + ", " + n + ", " + num(ss.sparsity()) + ", "
                        + num(ss.snr()) + ", seed);");
            } else {
                out.line("if (problem == null) problem = new SparseCoding(Operators.load(dataDir.resolve(" + str(ss.matrix()) + "), "
                        + (ss.matrixVar() == null ? "null" : str(ss.matrixVar())) + ").requireShape(\"the measurement matrix A\", " + m + ", " + n + "), "
                        + num(ss.sparsity()) + ", " + num(ss.snr()) + ");");
            }
            out.line("return problem;");
            out.close("}");
            out.line("");
        }
        out.line("/** Opens the train block's data (" + (data == null ? "none declared" : Vocabulary.spell(data)) + "); fails with a DataException before training. */");
        out.open("public void openData() {");
        out.line("if (trainData != null && heldOutData != null) return;");
        if (data instanceof DataSource.SyntheticSparse ss) {
            out.line("int batches = batchesPerEpoch > 0 ? batchesPerEpoch : (int) Math.max(1, " + ss.samples() + "L / batch);");
            out.line("if (trainData == null) trainData = problem().stream(batch, batches, seed + 3);");
            if (ss.xTest() == null) {
                out.line("if (heldOutData == null) heldOutData = problem().heldOut(" + ss.test() + ", batch, seed + 1);");
            } else {
                out.line("if (heldOutData == null) heldOutData = problem().heldOutFromFiles(dataDir.resolve(" + str(ss.xTest()) + "), "
                        + (ss.yTest() == null ? "null" : "dataDir.resolve(" + str(ss.yTest()) + ")") + ", batch, seed + 1);   // the researcher's test set");
            }
        } else if (data instanceof DataSource.FashionMnist fm) {
                String dir = fm.dir();
                out.line("Path dir = " + (dir == null ? "FashionMnist.locate()" : "DataChecks.requireDir(dataDir.resolve(" + str(dir) + "), \"fashion_mnist dir\")") + ";");
                out.line("FashionMnist.Split train = FashionMnist.load(dir, true), test = FashionMnist.load(dir, false);");
                out.line("if (trainData == null) trainData = Batches.limit(ArrayBatches.of(train.images(), train.labels(), batch, true, seed), batchesPerEpoch);");
                out.line("if (heldOutData == null) heldOutData = Batches.limit(ArrayBatches.of(test.images(), test.labels(), batch, false, seed), "
                        + "(int) Math.ceil(" + fm.test() + " / (double) batch));");
        } else if (data instanceof DataSource.Idx idx) {
                int classes = idx.classes();
                out.line("Path images = DataChecks.requireFile(dataDir.resolve(" + str(idx.images()) + "), \"idx images\");");
                out.line("Path labels = DataChecks.requireFile(dataDir.resolve(" + str(idx.labels()) + "), \"idx labels\");");
                out.line("FashionMnist.Split train = FashionMnist.load(images, labels, " + classes + ");");
                String ti = idx.testImages();
                String tl = idx.testLabels();
                if (ti != null && tl != null) {
                    out.line("FashionMnist.Split test = FashionMnist.load(DataChecks.requireFile(dataDir.resolve(" + str(ti) + "), \"idx test_images\"), "
                            + "DataChecks.requireFile(dataDir.resolve(" + str(tl) + "), \"idx test_labels\"), " + classes + ");");
                } else {
                    out.line("FashionMnist.Split test = train;   // no test_images/test_labels: held out = the training files");
                }
                out.line("if (trainData == null) trainData = Batches.limit(ArrayBatches.of(train.images(), train.labels(), batch, true, seed), batchesPerEpoch);");
                out.line("if (heldOutData == null) heldOutData = Batches.limit(ArrayBatches.of(test.images(), test.labels(), batch, false, seed), "
                        + "(int) Math.ceil(" + idx.test() + " / (double) batch));");
        } else if (data instanceof DataSource.ImagePatches ip) {
                out.line("ImageFolder images = ImageFolder.open(DataChecks.requireDir(dataDir.resolve(" + str(ip.dir()) + "), \"image_patches dir\"));");
                double sigma = ip.sigma();
                out.line("double sigma = " + num(sigma) + (sigma > 1 ? " / 255.0;   // noise level given on the 0..255 scale" : ";"));
                out.line("if (trainData == null) trainData = Batches.limit(images.denoising(" + ip.patch() + ", " + ip.samples() + ", sigma, batch, seed), batchesPerEpoch);");
                out.line("if (heldOutData == null) heldOutData = images.denoising(" + ip.patch() + ", " + ip.test() + ", sigma, batch, seed + 1);");
        } else if (data instanceof DataSource.ImagePairs pairs) {
                int patch = pairs.patch();
                int factor = pairs.factor();
                out.line("ImageFolder images = ImageFolder.open(DataChecks.requireDir(dataDir.resolve(" + str(pairs.dir()) + "), \"image_pairs dir\"));");
                out.line("if (trainData == null) trainData = Batches.limit(images.superResolution(" + patch + ", " + factor + ", " + pairs.samples() + ", batch, seed), batchesPerEpoch);");
                out.line("if (heldOutData == null) heldOutData = images.superResolution(" + patch + ", " + factor + ", " + pairs.test() + ", batch, seed + 1);");
        } else {
            out.line("throw new DataException(\"network " + net.name() + " has no train block: set trainData and heldOutData\");");
        }
        out.close("}");
        out.line("");
        // data check
        out.line("/** Checks the first batch against the placeholders: a clear DataException before any training step. */");
        out.open("public void checkData() {");
        out.line("MultiDataSet first = trainData.batch(0, 0);");
        List<String> ins = plan.inputs();
        List<String> labs = plan.labels();
        out.line("if (first.numFeatureArrays() != " + ins.size() + ") throw new DataException(\"the data gives \" + first.numFeatureArrays() + \" input arrays, network " + net.name() + " has " + ins.size() + " inputs " + ins + "\");");
        out.line("if (first.numLabelsArrays() < " + labs.size() + ") throw new DataException(\"the data gives \" + first.numLabelsArrays() + \" label arrays, network " + net.name() + " has " + labs.size() + " labels " + labs + "\");");
        for (int i = 0; i < ins.size(); i++) {
            out.line("DataChecks.checkShape(NETWORK, " + str(ins.get(i)) + ", first.getFeatures(" + i + "), " + dims(net.node(ins.get(i)).shape()) + ");");
        }
        for (int i = 0; i < labs.size(); i++) {
            out.line("DataChecks.checkShape(NETWORK, " + str(labs.get(i)) + ", first.getLabels(" + i + "), " + dims(net.node(labs.get(i)).shape()) + ");");
        }
        out.close("}");
        out.line("");
    }
}
