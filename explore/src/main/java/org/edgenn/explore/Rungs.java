package org.edgenn.explore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.edgenn.ir.spec.ExploreSpec.TrainingBudget;
import org.edgenn.runtime.io.AtomicFiles;

/**
 * Training in rungs ({@code training halving(...)} or {@code hyperband(...)}) after cost screening: the networks of the
 * cost-feasible candidates are the units {@link Halving} ranks. Each rung of each unit is stored the moment it ends,
 * atomically, as {@code DIR/training/<unit>-<steps>.json} (its metrics, or why training failed) next to the trainer's
 * state {@code .ckpt}, from which the next rung continues; {@code --resume} reads the stored rungs back and trains
 * only the missing ones. The checkpoints are deleted when every rung is done (the results stay).
 */
final class Rungs implements Halving.UnitTrainer {
    /** Trains a unit to {@code steps}, from the state {@code from} (null: from scratch), saving its state to {@code to}. */
    interface CheckpointedTrainer {
        Map<String, Double> train(String unit, int steps, Path from, Path to);
    }

    /** The same given a candidate of the unit (its network instance is what is trained): {@link Evaluator#trainRung}. */
    interface CandidateRungTrainer {
        Map<String, Double> train(Candidate representative, int steps, Path from, Path to);
    }

    private final Path dir;
    private final CheckpointedTrainer trainer;
    private final PrintWriter progress;
    private int trainedHere;
    private int fromStore;

    Rungs(Path out, CheckpointedTrainer trainer, PrintWriter progress) {
        this.dir = out.resolve("training");
        this.trainer = trainer;
        this.progress = progress;
    }

    /**
     * Trains the networks of the feasible screened candidates in rungs; what each network reached, by
     * {@link Candidate#networkKey()} (merge it into results with {@link #with}).
     */
    static Map<String, Halving.UnitResult> train(Path out, CandidateRungTrainer trainer, TrainingBudget budget,
                                                 List<Result> screened, PrintWriter progress) {
        Map<String, Candidate> representative = new LinkedHashMap<>();
        for (Result r : screened) {
            if (r.feasible()) {
                representative.putIfAbsent(r.candidate().networkKey(), r.candidate());
            }
        }
        Rungs rungs = new Rungs(out, (unit, steps, from, to) -> trainer.train(representative.get(unit), steps, from, to),
                progress);
        List<Halving.UnitResult> units = Halving.run(new ArrayList<>(representative.keySet()), budget, rungs);
        Map<String, Halving.UnitResult> byUnit = new LinkedHashMap<>();
        units.forEach(u -> byUnit.put(u.unit(), u));
        rungs.finish(budget, units.size());
        return byUnit;
    }

    /**
     * The results with the training of their network merged in (the cost metrics as they were): the metrics of its
     * network's highest rung ({@code loss}, the task metric, {@code rung}: its index, {@code train_steps}: its budget);
     * a candidate whose network failed to train or was never drawn is infeasible, with why.
     */
    static List<Result> with(List<Result> results, Map<String, Halving.UnitResult> units, TrainingBudget budget) {
        List<Result> out = new ArrayList<>();
        for (Result r : results) {
            Halving.UnitResult u = units.get(r.candidate().networkKey());
            if (!r.feasible() || u == null) {
                out.add(r);
                continue;
            }
            Map<String, Double> metrics = new LinkedHashMap<>(r.metrics());
            List<String> problems = new ArrayList<>(r.problems());
            if (u.failure() != null) {
                problems.add("1:1: " + u.failure() + " [training]");
            } else if (u.rung() < 0) {
                problems.add("1:1: not trained: no bracket of hyperband(seed=" + budget.seed() + ") drew " + u.unit() + " [training]");
            } else {
                metrics.putAll(u.metrics());
                metrics.remove("continued");          // how the last rung was trained, not what the candidate reached
                metrics.remove("curriculum_steps");
                metrics.put("rung", (double) u.rung());
                metrics.put("train_steps", (double) u.steps());
            }
            out.add(new Result(r.candidate(), r.stage(), problems.isEmpty(), metrics, problems, r.text()));
        }
        return out;
    }

    @Override
    public Map<String, Double> train(String unit, int fromSteps, int steps) {
        Path json = file(unit, steps, ".json");
        if (Files.exists(json)) {
            fromStore++;
            return read(json);
        }
        Path from = fromSteps > 0 ? file(unit, fromSteps, ".ckpt") : null;
        if (from != null && !Files.exists(from)) {
            throw new CandidateTrainer.TrainingException("the state of " + unit + " after " + fromSteps + " steps ("
                    + from + ") is missing: cannot continue it to " + steps + " steps; start again without --resume");
        }
        trainedHere++;
        say(String.format(Locale.ROOT, "  rung %d steps: training %s%s", steps, unit, from == null ? "" : " from " + fromSteps));
        ObjectNode o = Store.JSON.createObjectNode();
        o.put("unit", unit);
        o.put("steps", steps);
        o.put("fromSteps", fromSteps);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Map<String, Double> m = trainer.train(unit, steps, from, file(unit, steps, ".ckpt"));
            ObjectNode metrics = o.putObject("metrics");
            m.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> metrics.put(e.getKey(), e.getValue()));
            write(json, o);
            return m;
        } catch (CandidateTrainer.TrainingException e) {
            o.put("failure", e.getMessage());
            write(json, o);
            throw e;
        }
    }

    private Map<String, Double> read(Path json) {
        try {
            JsonNode o = Store.JSON.readTree(Files.readString(json));
            if (o.has("failure")) {
                throw new CandidateTrainer.TrainingException(o.get("failure").asText());
            }
            // checked like Store's results: a metric written as text was read as 0 (the best loss), a missing one
            // was a NullPointerException; a diverged training's NaN is stored as the text "NaN" by Jackson
            JsonNode metrics = o.get("metrics");
            if (metrics == null || !metrics.isObject()) {
                throw new IllegalArgumentException(json + ": not a stored rung (no metrics object); delete it to train that rung again, then --resume");
            }
            Map<String, Double> m = new LinkedHashMap<>();
            metrics.fields().forEachRemaining(e -> {
                JsonNode v = e.getValue();
                boolean nonFinite = v.isTextual() && java.util.Set.of("NaN", "Infinity", "-Infinity").contains(v.asText());
                if (!v.isNumber() && !nonFinite) {
                    throw new IllegalArgumentException(json + ": not a stored rung (metrics." + e.getKey() + " is not a number: " + v
                            + "); delete it to train that rung again, then --resume");
                }
                m.put(e.getKey(), v.asDouble());
            });
            return m;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(json + ": not a stored rung (" + e.getOriginalMessage()
                    + "); delete it to train that rung again, then --resume");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stored rung " + json, e);
        }
    }

    private static void write(Path json, ObjectNode o) {
        try {
            Files.createDirectories(json.getParent());
            AtomicFiles.write(json, Store.JSON.writeValueAsString(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Says what was trained and deletes the checkpoints: every rung is done, the stored results stay. */
    void finish(TrainingBudget budget, int units) {
        say(String.format(Locale.ROOT, "  training %s (eta %d%s): %d networks, %d rung trainings (%d from the store), rungs of %s steps",
                budget.kind().name().toLowerCase(Locale.ROOT), budget.eta(), budget.kind() == TrainingBudget.Kind.HYPERBAND
                        ? ", seed " + budget.seed() : "", units, trainedHere + fromStore, fromStore, budget.rungBudgets()));
        deleteCheckpoints();
    }

    private void deleteCheckpoints() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".ckpt")).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String unit, int steps, String ext) {
        return dir.resolve(hash(unit) + "-" + steps + ext);
    }

    private void say(String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }

    private static String hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
