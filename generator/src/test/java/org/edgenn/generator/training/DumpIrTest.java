package org.edgenn.generator.training;

import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Node;
import org.edgenn.ir.graph.Program;
import org.edgenn.ir.graph.Weight;
import org.junit.jupiter.api.Test;

class DumpIrTest {
    @Test
    void dump() {
        for (String f : new String[] {"lista/lista.edgenn", "denoise/csc_denoiser.edgenn", "denoise/unrolled_gradient.edgenn",
                "fmnist/fashion_cnn.edgenn", "sr/espcn.edgenn"}) {
            Program p = Lowered.example(f);
            for (Network n : p.networks()) {
                System.out.println("### " + n.name() + " pkg=" + n.javaPackage() + " out=" + n.outputs() + " loss=" + n.loss() + " comp=" + n.compression());
                for (Node node : n.nodes()) {
                    System.out.println("  " + node.name() + " = " + node.op() + " " + node.inputs() + " " + node.shape() + " w=" + node.weights() + " step=" + node.step() + " tr=" + node.trainingOnly() + " @" + node.source());
                }
                for (Weight w : n.weights()) {
                    System.out.println("  W " + w);
                }
            }
            p.trainings().forEach(t -> System.out.println("  T " + t));
        }
    }
}
