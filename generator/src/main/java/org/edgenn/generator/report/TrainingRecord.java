package org.edgenn.generator.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a generated trainer wrote to {@code N.metrics.json}: the held-out metric of the float network and of its
 * int8 simulation, per epoch the mean loss and the held-out metric (the training curve), and the stages of a
 * layer-wise curriculum run before the epochs (empty without one).
 *
 * @param metric     the network's task metric ({@code nmse_db}, {@code accuracy}, {@code psnr}), null when the file names none
 * @param floatValue held-out metric of the trained float network, NaN when absent
 * @param int8Value  held-out metric of the trainer's int8 simulation (fake quantization), NaN when absent
 * @param examples   held-out examples the trainer evaluated, -1 when unknown
 */
public record TrainingRecord(String network, String metric, double floatValue, double int8Value, long examples,
                             List<Epoch> epochs, List<Stage> stages) {
    public TrainingRecord {
        epochs = List.copyOf(epochs);
        stages = List.copyOf(stages);
    }

    /** One epoch; NaN where the trainer wrote no finite value. */
    public record Epoch(int epoch, double loss, double metric, double seconds) {
    }

    /** One curriculum stage (1-based) and the output it trained (its unroll step's state); NaN where the trainer wrote no finite value. */
    public record Stage(int stage, String output, double loss, double metric, double seconds) {
    }

    /** Reads the file; a file that is not the trainer's JSON is an {@link IOException} naming it. */
    public static TrainingRecord read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("float").isObject()) {
            throw new IOException(file + ": not a trainer's metrics file (no \"float\" object)");
        }
        String metric = root.path("float").fieldNames().hasNext() ? root.path("float").fieldNames().next() : null;
        List<Epoch> epochs = new ArrayList<>();
        for (JsonNode e : root.path("epochs")) {
            epochs.add(new Epoch(e.path("epoch").asInt(), number(e.path("loss")),
                    metric == null ? Double.NaN : number(e.path(metric)), number(e.path("seconds"))));
        }
        List<Stage> stages = new ArrayList<>();
        for (JsonNode s : root.path("curriculum")) {
            stages.add(new Stage(s.path("stage").asInt(), s.path("output").asText(""), number(s.path("loss")),
                    metric == null ? Double.NaN : number(s.path(metric)), number(s.path("seconds"))));
        }
        return new TrainingRecord(root.path("network").asText(), metric,
                metric == null ? Double.NaN : number(root.path("float").path(metric)),
                metric == null ? Double.NaN : number(root.path("int8").path(metric)),
                root.path("info").path("held_out_examples").asLong(-1), epochs, stages);
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }
}
