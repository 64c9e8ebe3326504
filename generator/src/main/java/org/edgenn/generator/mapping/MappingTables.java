package org.edgenn.generator.mapping;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.edgenn.generator.mapping.table.AtomicFiles;
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
        if (networkName == null || networkName.isBlank() || networkName.contains("/") || networkName.contains("\\")) {
            throw new IllegalArgumentException("network name must be a plain file name, got '" + networkName + "'");
        }
        List<MappingBudget.Violation> violations = budget.check(mapping);
        Path json = dir.resolve(networkName + ".mapping.json");
        Path csv = dir.resolve(networkName + ".mapping.csv");
        Path md = dir.resolve(networkName + ".mapping.md");
        AtomicFiles.write(json, JsonTable.render(mapping, networkName, violations));
        AtomicFiles.write(csv, CsvTable.render(mapping));
        AtomicFiles.write(md, MarkdownTable.render(mapping, networkName, violations));
        return List.of(json, csv, md);
    }
}
