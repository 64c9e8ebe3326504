package org.edgenn.ir.spec;

import java.util.List;

/**
 * How to train a network: the data source bound to the network's inputs and labels, the
 * optimizer and schedule, epochs, batch size, seed, and when quantization-aware training and
 * gradual pruning run ({@code -1} when not given); {@code curriculum} runs before the epochs (null when none).
 */
public record TrainingSpec(String network, Value.Word data, List<String> bindings, Value.Word optimizer,
                           Value.Word schedule, int epochs, int batch, long seed,
                           int qatFromEpoch, int pruneFromEpoch, int pruneToEpoch, Curriculum curriculum) {
    public TrainingSpec {
        bindings = List.copyOf(bindings);
    }
}
