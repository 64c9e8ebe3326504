package org.edgenn.ir.graph;

import java.util.List;
import org.edgenn.ir.Shape;
import org.edgenn.ir.SourceRef;
import org.edgenn.ir.ops.Op;

/**
 * One node of the unrolled network graph: an op applied to earlier nodes' outputs.
 *
 * @param name         unique within the network; unrolled copies carry the step: {@code x[3]}
 * @param inputs       names of the nodes feeding this one, in the op's argument order
 * @param weights      names of the weights used, in {@link Op#weights()} order
 * @param step         the unrolled step this node belongs to, or -1 outside unroll blocks
 * @param trainingOnly true for nodes only losses need (they are not part of inference)
 */
public record Node(String name, Op op, List<String> inputs, Shape shape, List<String> weights, int step,
                   boolean trainingOnly, SourceRef source) {
    public Node {
        inputs = List.copyOf(inputs);
        weights = List.copyOf(weights);
    }
}
