package org.edgenn.generator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.runtime.hw.AcceleratorArithmetic;
import org.edgenn.runtime.hw.FunctionalModel;
import org.edgenn.onnx.export.OnnxInt8Export;
import org.edgenn.runtime.kernels.Backend;
import org.edgenn.runtime.net.Int8Layer;
import org.edgenn.runtime.hw.LayerCheck;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The benchmark's peer runs the same int8 network: ONNX Runtime's output on the exported model equals the
 * generated class's up to the requantization rounding the two runtimes do differently (ONNX Runtime in float,
 * EdgeNN in fixed point: a unit here and there, which recurrent steps can compound).
 */
class OnnxInt8ExportTest {
    @ParameterizedTest(name = "{1}")
    @CsvSource({"lista/lista.edgenn, Lista", "denoise/csc_denoiser.edgenn, CscDenoiser", "denoise/unrolled_gradient.edgenn, UnrolledGradient",
            "fmnist/fashion_cnn.edgenn, FashionCnn", "fmnist/fashion_cnn.edgenn, FashionTiny"})
    void onnxRuntimeComputesTheSameInt8Network(String file, String name, @TempDir Path dir) throws Exception {
        try (ExampleInt8 e = ExampleInt8.load(file, name, Backend.SCALAR, dir)) {
            byte[] ours = e.runEdgeNN().clone();
            byte[] ort = e.runOrt();
            assertEquals(ours.length, ort.length);
            int max = 0;
            long total = 0;
            for (int i = 0; i < ours.length; i++) {
                int d = Math.abs(ours[i] - ort[i]);
                max = Math.max(max, d);
                total += d;
            }
            double mean = (double) total / ours.length;
            System.out.printf("%s: outputs differ by at most %d, mean %.3f units%n", name, max, mean);
            // LISTA feeds 16 requantizing adds back into itself: one-unit differences can compound to a few
            assertTrue(max <= 3, name + ": outputs differ by up to " + max + " units");
            assertTrue(mean <= 0.5, name + ": outputs differ by " + mean + " units on average");
        }
    }

    /**
     * Layer by layer: each layer, run by the hardware model on ONNX Runtime's own inputs (the outputs ONNX Runtime
     * gave for the layers feeding it), is within one unit of ONNX Runtime's output for that layer. The end-to-end
     * differences above are therefore rounding carried through the network, not a different network.
     */
    @ParameterizedTest(name = "{1}")
    @CsvSource({"lista/lista.edgenn, Lista", "denoise/csc_denoiser.edgenn, CscDenoiser", "fmnist/fashion_cnn.edgenn, FashionCnn",
            "sr/espcn.edgenn, Espcn"})
    void everyLayerIsWithinOneUnitOfOnnxRuntime(String file, String name, @TempDir Path dir) throws Exception {
        FunctionalModel hw = new FunctionalModel(AcceleratorArithmetic.int32("int32"));
        try (ExampleInt8 e = ExampleInt8.load(file, name, Backend.SCALAR, dir, true)) {
            Map<String, byte[]> ort = e.runOrtOutputs();
            Map<byte[], String> producer = new IdentityHashMap<>();
            for (Int8Layer layer : e.net.layers()) {
                List<byte[]> inputs = new ArrayList<>();
                for (byte[] b : layer.inputs()) {
                    // the network input and constant buffers are the same on both sides
                    inputs.add(producer.containsKey(b) ? ort.get(OnnxInt8Export.LAYER_OUTPUT + producer.get(b)) : b);
                }
                byte[] mine = new byte[layer.output().length];
                LayerCheck.execute(layer, inputs, mine, hw);
                byte[] theirs = ort.get(OnnxInt8Export.LAYER_OUTPUT + layer.name());
                assertEquals(mine.length, theirs.length, layer.name());
                for (int i = 0; i < mine.length; i++) {
                    int d = Math.abs(mine[i] - theirs[i]);
                    assertTrue(d <= 1, name + " layer " + layer.name() + " [" + i + "]: hardware model " + mine[i] + ", ONNX Runtime " + theirs[i]);
                }
                producer.put(layer.output(), layer.name());
            }
        }
    }
}
