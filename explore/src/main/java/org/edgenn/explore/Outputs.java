package org.edgenn.explore;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.edgenn.ir.spec.ExploreSpec;
import org.edgenn.runtime.io.AtomicFiles;

/**
 * The outputs of an exploration, each written atomically: {@code explore.json} and {@code explore.csv}
 * (every candidate screened: parameters, metrics, feasibility, problems), the front's designs as
 * concrete {@code front/NN-<key>.edgenn} files, and {@code report.html}.
 */
public final class Outputs {
    static final List<String> METRICS = List.of("energy", "latency", "edp", "area", "params", "macs", "loss");

    /** With training in rungs (halving, Hyperband): which rung each candidate's network reached, and its budget. */
    static final List<String> RUNG_METRICS = List.of("rung", "train_steps");

    private Outputs() {
    }

    /** The metric columns of the csv and the report's table: {@link #METRICS}, and the rung ones when there are rungs. */
    static List<String> columns(List<Result> results) {
        if (results.stream().noneMatch(r -> r.metrics().containsKey("train_steps"))) {
            return METRICS;
        }
        List<String> c = new ArrayList<>(METRICS);
        c.addAll(RUNG_METRICS);
        return c;
    }

    static void write(Path out, ExploreSpec spec, List<Result> all, List<Result> screeningFront, List<Result> full,
                      List<Result> front) throws IOException {
        Files.createDirectories(out);
        List<String> objectives = spec.objectives().stream().map(ExploreSpec.Objective::spelling).toList();
        List<Result> sortedFront = new ArrayList<>(front);
        sortedFront.sort(Comparator.comparingDouble((Result r) -> r.metric(objectives.get(0)))
                .thenComparing(r -> r.candidate().key()));
        ObjectNode root = Store.JSON.createObjectNode();
        root.put("explore", spec.name());
        root.set("objectives", Store.JSON.valueToTree(objectives));
        root.put("strategy", spec.strategy().kind().name().toLowerCase(Locale.ROOT));
        root.put("candidates", all.size());
        root.put("feasible", all.stream().filter(Result::feasible).count());
        ArrayNode f = root.putArray("front");
        for (Result r : sortedFront) {
            f.add(Store.toJson(r).put("file", "front/" + fileName(sortedFront.indexOf(r), r)));
        }
        ArrayNode sf = root.putArray("screeningFront");
        screeningFront.forEach(r -> sf.add(r.candidate().key()));
        ArrayNode c = root.putArray("all");
        for (Result r : all) {
            ObjectNode o = Store.toJson(r);
            o.remove("text"); // the text of every candidate is in candidates/, of the front in front/
            o.put("onScreeningFront", screeningFront.contains(r));
            c.add(o);
        }
        AtomicFiles.write(out.resolve("explore.json"), Store.JSON.writeValueAsString(root));
        AtomicFiles.write(out.resolve("explore.csv"), csv(all, screeningFront));
        Path dir = out.resolve("front");
        Files.createDirectories(dir);
        try (var old = Files.list(dir)) {
            for (Path p : old.toList()) {
                if (p.getFileName().toString().endsWith(".edgenn")) {
                    Files.delete(p);
                }
            }
        }
        for (int i = 0; i < sortedFront.size(); i++) {
            Result r = sortedFront.get(i);
            AtomicFiles.write(dir.resolve(fileName(i, r)), header(spec, r, objectives) + r.text());
        }
        AtomicFiles.write(out.resolve("report.html"), Report.html(spec, all, sortedFront, objectives));
    }

    /** {@code 03-ListaFamily-depth4-untiedtrue-wbitsint8-TinyFamily-rows8.edgenn}. */
    static String fileName(int i, Result r) {
        String key = r.candidate().key().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", "");
        return String.format(Locale.ROOT, "%02d-%s.edgenn", i + 1, key);
    }

    private static String header(ExploreSpec spec, Result r, List<String> objectives) {
        return "// Written by edgenn explore (" + spec.name() + "): " + r.candidate().key() + "\n// "
                + objectives.stream().map(o -> o + " " + shown(o, r.metric(o))).collect(Collectors.joining(", "))
                + " (" + r.stage() + " mapping)\n";
    }

    public static String shown(String metric, double v) {
        switch (metric) {
            case "energy": return org.edgenn.ir.Formats.energy(v);
            case "latency": return org.edgenn.ir.Formats.duration(v);
            case "area": return String.format(Locale.ROOT, "%.4g mm2", v);
            case "edp": return String.format(Locale.ROOT, "%.4g J*s", v);
            case "loss": return String.format(Locale.ROOT, "%.4g", v);
            case "rung":
            case "train_steps": return String.format(Locale.ROOT, "%.0f", v);
            default: return org.edgenn.ir.Formats.compactCount(v);
        }
    }

    private static String csv(List<Result> all, List<Result> screeningFront) {
        Set<String> params = new LinkedHashSet<>();
        all.forEach(r -> params.addAll(r.candidate().parameters().keySet()));
        StringBuilder b = new StringBuilder("key,network,accelerator");
        params.forEach(p -> b.append(',').append(p));
        List<String> columns = columns(all);
        columns.forEach(m -> b.append(',').append(m));
        b.append(",feasible,on_screening_front,problems\n");
        for (Result r : all) {
            b.append(quote(r.candidate().key())).append(',').append(r.candidate().network()).append(',')
                    .append(r.candidate().accelerator());
            var values = r.candidate().parameters();
            params.forEach(p -> b.append(',').append(values.getOrDefault(p, "")));
            for (String m : columns) {
                double v = r.metric(m);
                b.append(',').append(Double.isFinite(v) ? Double.toString(v) : "");
            }
            b.append(',').append(r.feasible()).append(',').append(screeningFront.contains(r)).append(',')
                    .append(quote(String.join(" | ", r.problems()))).append('\n');
        }
        return b.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
