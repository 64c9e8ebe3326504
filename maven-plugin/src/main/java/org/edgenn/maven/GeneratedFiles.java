package org.edgenn.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgenn.generator.mapping.table.AtomicFiles;

/**
 * Writes what the plugin generates, each file atomically and only when it must change, so that an
 * incremental build rewrites (and recompiles) nothing when no source changed.
 */
final class GeneratedFiles {
    private final List<Path> written = new ArrayList<>();
    private final List<Path> unchanged = new ArrayList<>();

    /** A generated source: written when its text differs from the file's. */
    void source(Path file, String content) throws IOException {
        (AtomicFiles.writeIfChanged(file, content) ? written : unchanged).add(file);
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

    List<Path> written() {
        return List.copyOf(written);
    }

    List<Path> unchanged() {
        return List.copyOf(unchanged);
    }
}
