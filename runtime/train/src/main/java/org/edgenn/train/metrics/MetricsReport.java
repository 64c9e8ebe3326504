package org.edgenn.train.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.edgenn.train.loop.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.runtime.io.AtomicFiles;

/**
 * {@code N.metrics.json}: network name, float and int8 held-out metrics (e.g. {@code nmse_db}, {@code accuracy},
 * {@code psnr_db}), free-form info, and the per-epoch curve. Written with Jackson.
 */
public final class MetricsReport {
    private final String network;
    private final Map<String, Double> floatMetrics = new LinkedHashMap<>();
    private final Map<String, Double> int8Metrics = new LinkedHashMap<>();
    private final Map<String, Object> info = new LinkedHashMap<>();
    private List<Progress.EpochRecord> epochs = List.of();
    private List<Progress.StageRecord> stages = List.of();

    public MetricsReport(String network) { this.network = network; }

    public MetricsReport floatMetric(String name, double v) { floatMetrics.put(name, v); return this; }
    public MetricsReport int8Metric(String name, double v) { int8Metrics.put(name, v); return this; }
    public MetricsReport info(String key, Object v) { info.put(key, v); return this; }
    public MetricsReport epochs(List<Progress.EpochRecord> e) { epochs = List.copyOf(e); return this; }
    /** The stages of a layer-wise curriculum run before the epochs (written as {@code "curriculum"} when any). */
    public MetricsReport stages(List<Progress.StageRecord> s) { stages = List.copyOf(s); return this; }

    public String toJson() {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = om.createObjectNode();
        root.put("network", network);
        ObjectNode f = root.putObject("float");
        floatMetrics.forEach((k, v) -> put(f, k, v));
        ObjectNode q = root.putObject("int8");
        int8Metrics.forEach((k, v) -> put(q, k, v));
        root.set("info", om.valueToTree(info));
        if (!stages.isEmpty()) {
            ArrayNode st = root.putArray("curriculum");
            for (Progress.StageRecord r : stages) {
                ObjectNode e = st.addObject();
                e.put("stage", r.stage());
                e.put("output", r.output());
                put(e, "loss", r.meanLoss());
                if (!Double.isNaN(r.metric())) put(e, r.metricName(), r.metric());
                put(e, "seconds", r.seconds());
                e.put("steps", r.steps());
            }
        }
        ArrayNode arr = root.putArray("epochs");
        for (Progress.EpochRecord r : epochs) {
            ObjectNode e = arr.addObject();
            e.put("epoch", r.epoch());
            put(e, "loss", r.meanLoss());
            if (!Double.isNaN(r.metric())) put(e, r.metricName(), r.metric());
            put(e, "seconds", r.seconds());
        }
        try {
            return om.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(ObjectNode n, String k, double v) {
        if (Double.isFinite(v)) n.put(k, v); else n.putNull(k);
    }

    public void write(Path file) {
        try {
            AtomicFiles.write(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
