package org.edgenn.explore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.edgenn.runtime.io.AtomicFiles;

/**
 * The cache of an exploration: one small JSON file per evaluated candidate and stage under
 * {@code DIR/candidates/}, each written atomically the moment its result arrives. A run killed at any
 * point leaves only whole files; {@code --resume} reads them back and evaluates only what is missing.
 */
final class Store {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Map<String, Result> results = new LinkedHashMap<>();

    Store(Path out) {
        this.dir = out.resolve("candidates");
    }

    /**
     * Ties the directory to what its results depend on: the template's text, the explore block and the schedule, kept
     * as a fingerprint in {@code DIR/exploration.json}. A new directory (or one of an older version without that file)
     * gets it; resuming from a directory whose results came from another text, block or schedule is refused with what
     * differs, instead of mixing stale results into the front.
     */
    void claim(String text, String explore, String schedule) throws IOException {
        ObjectNode want = JSON.createObjectNode();
        want.put("explore", explore);
        want.put("schedule", schedule);
        want.put("text_sha256", hash(text, 32));
        Path file = dir.getParent().resolve("exploration.json");
        if (Files.exists(file)) {
            JsonNode had;
            try {
                had = JSON.readTree(Files.readString(file));
            } catch (IOException e) {
                throw new IllegalArgumentException(file + " is not an exploration's fingerprint (" + e.getMessage()
                        + "); choose another --out");
            }
            List<String> differs = new ArrayList<>();
            want.fieldNames().forEachRemaining(k -> {
                if (!want.get(k).equals(had.get(k))) {
                    differs.add(k.equals("text_sha256") ? "the file's text" : k + " " + (had.has(k) ? had.get(k).asText() : "?")
                            + " there, " + want.get(k).asText() + " now");
                }
            });
            if (!differs.isEmpty()) {
                throw new IllegalArgumentException(dir.getParent() + " holds an exploration of something else ("
                        + String.join("; ", differs) + "): its results cannot be resumed; choose another --out");
            }
            return;
        }
        Files.createDirectories(dir.getParent());
        AtomicFiles.write(file, JSON.writeValueAsString(want));
    }

    /** True when the directory already holds results (a run to resume, or to refuse to overwrite). */
    boolean hasResults() throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".json"));
        }
    }

    /** Reads every stored result; a file that does not parse (not ours) is an error, never skipped silently. */
    void load() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            Result r;
            try {
                r = fromJson(JSON.readTree(Files.readString(f)));
            } catch (IOException | IllegalArgumentException e) {
                // named, with the way out: the file is a cache entry, so deleting it costs one re-evaluation
                String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                throw new IllegalArgumentException(f + ": not a stored result (" + why
                        + "); delete it to evaluate that candidate again, then --resume");
            }
            results.put(id(r.candidate(), r.stage()), r);
        }
    }

    synchronized Result get(Candidate c, Evaluator.Stage stage) {
        return results.get(id(c, stage.name().toLowerCase(java.util.Locale.ROOT)));
    }

    synchronized void put(Result r) throws IOException {
        Files.createDirectories(dir);
        String id = id(r.candidate(), r.stage());
        AtomicFiles.write(dir.resolve(r.stage() + "-" + hash(r.candidate().key()) + ".json"),
                JSON.writeValueAsString(toJson(r)));
        results.put(id, r);
    }

    synchronized List<Result> all(String stage) {
        return results.values().stream().filter(r -> r.stage().equals(stage)).toList();
    }

    private static String id(Candidate c, String stage) {
        return stage + " " + c.key();
    }

    private static String hash(String key) {
        return hash(key, 12);
    }

    /** The first {@code bytes} bytes of the SHA-256 of {@code key}, in hex. */
    private static String hash(String key, int bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode toJson(Result r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("key", r.candidate().key());
        o.put("network", r.candidate().network());
        o.set("networkParameters", JSON.valueToTree(r.candidate().networkBinding()));
        o.put("accelerator", r.candidate().accelerator());
        o.set("acceleratorParameters", JSON.valueToTree(r.candidate().acceleratorBinding()));
        o.put("stage", r.stage());
        o.put("feasible", r.feasible());
        ObjectNode m = o.putObject("metrics");
        r.metrics().entrySet().stream().filter(e -> Double.isFinite(e.getValue())).sorted(Map.Entry.comparingByKey())
                .forEach(e -> m.put(e.getKey(), e.getValue()));
        ArrayNode p = o.putArray("problems");
        r.problems().forEach(p::add);
        o.put("text", r.text());
        return o;
    }

    /**
     * A stored result, every field checked for its type: Jackson's lenient {@code asDouble}/{@code asBoolean} read a
     * metric written as text as 0 (a free candidate on the front) and {@code "feasible": "yes"} as infeasible, and a
     * missing field was a NullPointerException.
     */
    static Result fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException(o == null || o.isMissingNode() ? "empty" : "not a JSON object");
        }
        Candidate c = new Candidate(text(o, "network"), strings(o, "networkParameters"), text(o, "accelerator"),
                strings(o, "acceleratorParameters"));
        Map<String, Double> metrics = new LinkedHashMap<>();
        field(o, "metrics", JsonNode::isObject, "an object").fields().forEachRemaining(e -> {
            if (!e.getValue().isNumber()) {
                throw new IllegalArgumentException("metrics." + e.getKey() + " is not a number: " + e.getValue());
            }
            metrics.put(e.getKey(), e.getValue().asDouble());
        });
        List<String> problems = new ArrayList<>();
        field(o, "problems", JsonNode::isArray, "an array").forEach(p -> {
            if (!p.isTextual()) {
                throw new IllegalArgumentException("problems holds a non-text entry: " + p);
            }
            problems.add(p.asText());
        });
        boolean feasible = field(o, "feasible", JsonNode::isBoolean, "true or false").asBoolean();
        return new Result(c, text(o, "stage"), feasible, metrics, problems, text(o, "text"));
    }

    private static JsonNode field(JsonNode o, String name, java.util.function.Predicate<JsonNode> ok, String what) {
        JsonNode v = o.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no field " + name);
        }
        if (!ok.test(v)) {
            throw new IllegalArgumentException(name + " is not " + what + ": " + v);
        }
        return v;
    }

    private static String text(JsonNode o, String name) {
        return field(o, name, JsonNode::isTextual, "text").asText();
    }

    private static Map<String, String> strings(JsonNode o, String name) {
        Map<String, String> m = new LinkedHashMap<>();
        field(o, name, JsonNode::isObject, "an object").fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException(name + "." + e.getKey() + " is not text: " + e.getValue());
            }
            m.put(e.getKey(), e.getValue().asText());
        });
        return m;
    }
}
