package org.edgenn.generator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.edgenn.generator.training.LoweredExamples;
import org.edgenn.ir.Shape;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.ops.Activation;
import org.edgenn.ir.ops.Clamp;
import org.edgenn.ir.ops.Conv2d;
import org.edgenn.ir.ops.Op;
import org.edgenn.ir.ops.Project;
import org.edgenn.ir.ops.Window;
import org.edgenn.runtime.cost.LayerKind;
import org.edgenn.runtime.cost.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The traits agree with the IR records they describe (MAC counts, depthwise, clamps). */
class OpTraitsTest {
    private static final WorkloadBits INT8 = new WorkloadBits(new Workload.Precision(8, 8, 8, 32), 8, 32);

    /** The accelerator's loop nest of every MAC layer does exactly the IR's multiply-accumulates. */
    @ParameterizedTest(name = "{1}")
    @CsvSource({"lista/lista.edgenn, Lista", "fmnist/fashion_cnn.edgenn, FashionTiny", "fmnist/fashion_cnn.edgenn, FashionCnn",
            "sr/espcn.edgenn, Espcn", "resnet/resnet18.edgenn, ResNet18"})
    void macWorkloadsCountTheIrMacs(String file, String name) {
        Network net = LoweredExamples.network(file, name);
        int checked = 0;
        for (Node n : net.inferenceNodes()) {
            if (OpTraitsRegistry.quantRole(n.op()) != QuantRole.MAC) {
                continue;
            }
            List<Shape> in = n.inputs().stream().map(i -> net.node(i).shape()).toList();
            Workload w = OpTraitsRegistry.workload(n, INT8);
            assertNotNull(w, n.name());
            assertEquals(n.op().macs(in, n.shape()), w.macs(), n.name());
            checked++;
        }
        assertTrue(checked > 0, name + " has MAC layers");
    }

    /** Depthwise is Conv2d.isDepthwise everywhere: with a channel multiplier too, on the depthwise nest. */
    @Test
    void depthwiseWithAMultiplierIsADepthwiseNest() {
        Conv2d dw = new Conv2d(8, 16, Window.square(3, 1, 1), 8, true);
        assertTrue(dw.isDepthwise());
        Shape x = Shape.of(8, 10, 10);
        Node n = new Node("dw", dw, List.of("x"), Shape.of(16, 10, 10), List.of("dw.weight", "dw.bias"), -1, false, null);
        Workload w = OpTraitsRegistry.workload(n, INT8);
        assertEquals(LayerKind.DEPTHWISE, w.kind());
        assertEquals(dw.macs(List.of(x), n.shape()), w.macs());
        Conv2d grouped = new Conv2d(8, 16, Window.square(3, 1, 1), 4, true);
        Node g = new Node("g", grouped, List.of("x"), Shape.of(16, 10, 10), List.of("g.weight", "g.bias"), -1, false, null);
        assertEquals(LayerKind.CONV, OpTraitsRegistry.workload(g, INT8).kind());
    }

    /** An op that is a clamp in the int8 domain keeps its input's quantization (it can then be folded). */
    @Test
    void clampLikeOpsPreserveTheQuantization() {
        List<Op> clamps = List.of(new Activation(Activation.Kind.RELU), new Activation(Activation.Kind.RELU6), new Clamp(-1, 1),
                Project.box(0, 1), Project.nonNegative());
        for (Op op : clamps) {
            assertNotNull(OpTraitsRegistry.of(op).int8Clamp(op), op.kind());
            assertEquals(QuantRole.PRESERVES, OpTraitsRegistry.quantRole(op), op.kind());
        }
        for (Op op : List.of(new Activation(Activation.Kind.TANH), Project.l2Ball(1))) {
            assertEquals(null, OpTraitsRegistry.of(op).int8Clamp(op), op.kind());
        }
    }
}
