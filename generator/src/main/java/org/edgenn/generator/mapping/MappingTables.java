package org.edgenn.generator.mapping;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.runtime.io.AtomicFiles;
import org.edgenn.generator.mapping.table.CsvTable;
import org.edgenn.generator.mapping.table.JsonTable;
import org.edgenn.generator.mapping.table.MarkdownTable;

/**
 * Writes {@code N.mapping.json} (schema in docs/mapping-schema.md), {@code N.mapping.csv} and
 * {@code N.mapping.md} into a directory; each file is replaced atomically.
 */
public final class MappingTables {
    private MappingTables() {
    }

    /** The three files, in the order json, csv, md. */
    public static List<Path> write(NetworkMapping mapping, Path dir, String networkName) throws IOException {
        return write(mapping, dir, networkName, MappingBudget.NONE);
    }

    /** The same, with the network's budgets checked and any violation reported in the JSON and Markdown. */
    public static List<Path> write(NetworkMapping mapping, Path dir, String networkName, MappingBudget budget)
            throws IOException {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> file : render(mapping, networkName, budget).entrySet()) {
            Path target = dir.resolve(file.getKey());
            AtomicFiles.write(target, file.getValue());
            written.add(target);
        }
        return written;
    }

    /** The three files' names ({@code N.mapping.json}, {@code .csv}, {@code .md}, in that order) and contents. */
    public static Map<String, String> render(NetworkMapping mapping, String networkName, MappingBudget budget) {
        if (networkName == null || networkName.isBlank() || networkName.contains("/") || networkName.contains("\\")) {
            throw new IllegalArgumentException("network name must be a plain file name, got '" + networkName + "'");
        }
        List<MappingBudget.Violation> violations = budget.check(mapping);
        Map<String, String> files = new LinkedHashMap<>();
        files.put(networkName + ".mapping.json", JsonTable.render(mapping, networkName, violations));
        files.put(networkName + ".mapping.csv", CsvTable.render(mapping));
        files.put(networkName + ".mapping.md", MarkdownTable.render(mapping, networkName, violations));
        return files;
    }
}
