package org.edgenn.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.generator.pipeline.Manifest;
import org.edgenn.runtime.io.AtomicFiles;

/**
 * Writes what the plugin generates, each file atomically and only when it must change, so that an
 * incremental build rewrites (and recompiles) nothing when no source changed; then removes what an earlier
 * build generated for a network or target that is gone.
 */
final class GeneratedFiles {
    private final List<Path> written = new ArrayList<>();
    private final List<Path> unchanged = new ArrayList<>();
    private final List<Path> removed = new ArrayList<>();

    /** A generated source: written when its text differs from the file's. */
    void source(Path file, String content) throws IOException {
        (AtomicFiles.writeIfChanged(file, content) ? written : unchanged).add(file);
    }

    /** A generated binary (an ONNX model): written when its bytes differ from the file's. */
    void binary(Path file, byte[] content) throws IOException {
        if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), content)) {
            unchanged.add(file);
        } else {
            AtomicFiles.write(file, content);
            written.add(file);
        }
    }

    /**
     * Mapping tables record their search time, so their text differs on every run: they are written when one of
     * them is missing or older than the newest input, and otherwise left as they are.
     */
    void tables(Path dir, Map<String, String> files, FileTime newestInput) throws IOException {
        boolean fresh = true;
        for (String name : files.keySet()) {
            Path f = dir.resolve(name);
            fresh &= Files.isRegularFile(f) && Files.getLastModifiedTime(f).compareTo(newestInput) >= 0;
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path f = dir.resolve(file.getKey());
            if (fresh) {
                unchanged.add(f);
            } else {
                AtomicFiles.write(f, file.getValue());
                written.add(f);
            }
        }
    }

    /**
     * Deletes the files below {@code dir} that the previous run listed in its manifest but this run did not produce
     * (a renamed or deleted network, a target no budget names any more), then writes this run's manifest.
     */
    void removeStale(Path dir, Manifest before) throws IOException {
        Set<Path> produced = new HashSet<>(written);
        produced.addAll(unchanged);
        List<Path> ours = produced.stream().filter(p -> p.normalize().startsWith(dir.normalize())).toList();
        Manifest now = Manifest.of(dir, ours);
        for (Path f : before.stale(dir, now)) {
            if (Files.deleteIfExists(f)) {
                removed.add(f);
            }
        }
        if (!ours.isEmpty() || !before.files().isEmpty()) {
            now.write(dir);
        }
    }

    List<Path> written() {
        return List.copyOf(written);
    }

    List<Path> unchanged() {
        return List.copyOf(unchanged);
    }

    List<Path> removed() {
        return List.copyOf(removed);
    }
}
