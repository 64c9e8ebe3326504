package org.edgenn.onnx.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgenn.onnx.proto.OnnxModels;
import org.junit.jupiter.api.Test;

/**
 * The importer on hand-built graphs and PyTorch's exports. Batch-norm folding is checked against PyTorch's own
 * {@code fuse_conv_bn_eval} (values saved by src/test/python/make_models.py), not against a re-derivation.
 */
class OnnxImporterTest {
    static final Path TORCH = Path.of("src", "test", "resources", "onnx", "torch");

    @Test
    void everyUnsupportedNodeIsReportedAtOnceByNameAndOpType() {
        OnnxModels.Graph g = new OnnxModels.Graph("g").input("x", OnnxModels.FLOAT, 1, 4, 8, 8);
        g.node("Softsign", new String[] {"x"}, new String[] {"a"});
        g.node("Relu", new String[] {"a"}, new String[] {"b"});
        g.node("LeakyRelu", new String[] {"b"}, new String[] {"c"}, "alpha", 0.1f);
        g.output("c", OnnxModels.FLOAT, 1, 4, 8, 8);
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> OnnxImporter.translate(OnnxGraph.parse(g.toModelBytes()), "G", "g.onnx"));
        assertTrue(e.getMessage().startsWith("2 node(s) outside the op set"), e.getMessage());
        assertTrue(e.getMessage().contains("node Softsign_0: op Softsign") && e.getMessage().contains("node LeakyRelu_2: op LeakyRelu"), e.getMessage());
    }

    @Test
    void batchNormFoldsIntoTheConvolutionAsPyTorchFoldsIt() throws Exception {
        JsonNode stem = new ObjectMapper().readTree(TORCH.resolve("tiny_cnn.fused.json").toFile()).at("/fused/stem");
        int k = stem.get("weight_shape").get(0).asInt(), c = stem.get("weight_shape").get(1).asInt();
        int fy = stem.get("weight_shape").get(2).asInt(), fx = stem.get("weight_shape").get(3).asInt();
        OnnxModels.Graph g = new OnnxModels.Graph("bn").input("x", OnnxModels.FLOAT, 1, c, 6, 6);
        g.floats("w", floats(stem.get("conv_weight")), k, c, fy, fx).floats("b", floats(stem.get("conv_bias")), k);
        g.floats("gamma", floats(stem.get("bn_scale")), k).floats("beta", floats(stem.get("bn_bias")), k);
        g.floats("mean", floats(stem.get("bn_mean")), k).floats("var", floats(stem.get("bn_var")), k);
        g.node("Conv", new String[] {"x", "w", "b"}, new String[] {"y"}, "kernel_shape", new long[] {fy, fx}, "pads", new long[] {1, 1, 1, 1});
        g.node("BatchNormalization", new String[] {"y", "gamma", "beta", "mean", "var"}, new String[] {"z"},
                "epsilon", (float) stem.get("bn_eps").asDouble());
        g.node("Relu", new String[] {"z"}, new String[] {"r"});
        g.output("r", OnnxModels.FLOAT, 1, k, 6, 6);
        ImportedNetwork net = OnnxImporter.translate(OnnxGraph.parse(g.toModelBytes()), "Bn", "bn.onnx");
        assertEquals(1, net.layers());
        assertTrue(net.text().contains("layer Conv_0 = conv2d(" + c + " -> " + k + ", kernel=" + fy + ", padding=1)"), net.text());
        assertTrue(net.text().contains("let r = relu(y)"), net.text());
        float[] w = net.weights().get("Conv_0.weight").values(), b = net.weights().get("Conv_0.bias").values();
        float[] torchW = floats(stem.get("weight")), torchB = floats(stem.get("bias"));
        for (int o = 0; o < k; o++) {
            assertEquals(torchB[o], b[o], 1e-5 * Math.max(1, Math.abs(torchB[o])), "bias " + o);
            for (int ci = 0; ci < c; ci++)
                for (int y = 0; y < fy; y++)
                    for (int x = 0; x < fx; x++) {
                        float ours = w[((o * fy + y) * fx + x) * c + ci], theirs = torchW[((o * c + ci) * fy + y) * fx + x];
                        assertEquals(theirs, ours, 1e-5 * Math.max(1, Math.abs(theirs)), "weight " + o + "," + ci + "," + y + "," + x);
                    }
        }
    }

    /** PyTorch's export of the test CNN: the op mix of the brief, translated to the language's forms. */
    @Test
    void tinyCnnTranslatesEveryOp() throws Exception {
        ImportedNetwork net = OnnxImporter.translate(OnnxGraph.parse(Files.readAllBytes(TORCH.resolve("tiny_cnn.onnx"))), "TinyCnn", "tiny_cnn.onnx");
        String t = net.text();
        for (String form : new String[] {"input input_: f32[3, 16, 16]", "conv2d(8 -> 8, kernel=3, padding=2, dilation=2, groups=2)",
                "conv2d(8 -> 8, kernel=1, bias=false)", "relu6(", "maxpool(", "avgpool(", " + ", " * ", " - ", "concat(",
                "upsample(", ", factor=2)", "pixelshuffle(", "flatten(", "dense(256 -> 10)", "output "}) {
            assertTrue(t.contains(form), form + " missing in\n" + t);
        }
        assertEquals(5, net.layers());
        // graph outputs [16, 8, 8] etc. are tracked: the dense layer reads 4 x 8 x 8 = 256 features
        assertEquals(10 * 256, net.weights().get(lastLayer(t) + ".weight").values().length);
    }

    private static String lastLayer(String text) {
        String name = null;
        for (String line : text.split("\n")) if (line.trim().startsWith("layer ")) name = line.trim().split(" ")[1];
        return name;
    }

    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) a.get(i).asDouble();
        return f;
    }
}
