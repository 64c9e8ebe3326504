package org.edgenn.ir.graph;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.ir.spec.Compression;

/**
 * What a network's pruning declarations cannot mean, per declared layer (the language reports each at its
 * {@code prune} line): N:M groups run along a layer's input channels (features of a dense layer), so M must divide
 * them; a pruned layer must have weights a MAC layer owns; channel pruning must keep the network computable
 * ({@link ChannelPruning}).
 */
public final class PruningCheck {
    private PruningCheck() {
    }

    public static List<ChannelPruning.Problem> of(Network network) {
        List<ChannelPruning.Problem> out = new ArrayList<>();
        Compression c = network.compression();
        if (c == null || c.pruning().isEmpty()) {
            return out;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Node n : network.nodes()) {
            if (n.weights().isEmpty()) {
                continue;
            }
            Weight w = network.weight(n.weights().get(0));
            Compression.Pruning p = c.pruningOf(w.layer());
            if (p == null || !w.trainable() || !seen.add(w.layer())) {
                continue;
            }
            org.edgenn.ir.ops.Op.MacChannels channels = n.op().macChannels();
            if (channels == null) {
                if (!p.layers().isEmpty()) {
                    out.add(new ChannelPruning.Problem(w.layer(), n.op().kind() + " " + w.layer() + " has no MAC weights to prune"));
                }
                continue;
            }
            int inputs = channels.inputsPerOutput();
            if (p.structure() == Compression.Pruning.Structure.N_M && inputs % p.m() != 0) {
                out.add(new ChannelPruning.Problem(w.layer(), p.n() + ":" + p.m() + " pruning groups " + p.m()
                        + " weights along the input channels, but " + w.layer() + " has " + inputs
                        + (p.layers().isEmpty() ? " (name the layers it applies to: prune " + p.spelling() + " on ...)" : ""), true));
            }
        }
        out.addAll(ChannelPruning.compact(network).problems());
        return out;
    }
}
