package org.edgenn.ir.spec;

import java.util.List;
import org.edgenn.ir.spec.vocab.Curriculum;
import org.edgenn.ir.spec.vocab.DataSource;
import org.edgenn.ir.spec.vocab.Optimizer;
import org.edgenn.ir.spec.vocab.Schedule;

/**
 * How to train a network: the data source bound to the network's inputs and labels, the
 * optimizer and schedule, epochs, batch size, seed, and when quantization-aware training and
 * gradual pruning run ({@code -1} when not given); {@code curriculum} runs before the epochs (null when none).
 * Data source, optimizer and schedule are the typed terms of {@link org.edgenn.ir.spec.vocab.Vocabulary}.
 */
public record TrainingSpec(String network, DataSource data, List<String> bindings, Optimizer optimizer,
                           Schedule schedule, int epochs, int batch, long seed,
                           int qatFromEpoch, int pruneFromEpoch, int pruneToEpoch, Curriculum curriculum) {
    public TrainingSpec {
        bindings = List.copyOf(bindings);
        optimizer = optimizer == null ? Optimizer.DEFAULT : optimizer;
        schedule = schedule == null ? Schedule.DEFAULT : schedule;
    }
}
