package org.edgenn.dsl.ide;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.eclipse.xtext.validation.Issue;
import org.edgenn.dsl.ide.editor.EditorDocument;
import org.junit.jupiter.api.Test;

/**
 * Bad input never crashes an editor: the examples, mutated at random (fixed seed) by deleting,
 * duplicating or inserting characters, through every service at several offsets.
 */
class BadInputTest {

    private static final String JUNK = "{}()[],=->:;.\"/*#0 1e9 kernel k S x dense shrink unroll as ";

    @Test
    void everyServiceSurvivesMutatedExamples() throws Exception {
        List<String> examples = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("..", "examples", "src", "main", "edgenn"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".edgenn")).sorted().toList()) {
                examples.add(Files.readString(p));
            }
        }
        assertTrue(examples.size() >= 4, "examples not found");
        Random random = new Random(20261124);
        EditorDocument doc = Editors.open(examples.get(0));
        for (int round = 0; round < 60; round++) {
            String text = examples.get(round % examples.size());
            for (int m = 0; m < 1 + random.nextInt(4); m++) {
                text = mutate(text, random);
            }
            doc.setText(text); // partial reparse from the previous mutant: exercises Xtext's partial parser too
            List<Issue> issues = doc.validate();
            for (int probe = 0; probe < 7; probe++) {
                // five offsets inside the text, and one on each side of it
                int at = probe == 5 ? -1 - random.nextInt(3) : probe == 6 ? text.length() + 1 + random.nextInt(3)
                        : random.nextInt(text.length() + 1);
                doc.complete(at);
                doc.hover(at);
                doc.fixesAt(at);
            }
            doc.highlightAll();
            for (Issue i : issues) {
                doc.fixes(i).forEach(f -> f.applyTo(doc.text()));
            }
        }
        // reaching here is the assertion: any exception above fails the test
    }

    private static String mutate(String text, Random random) {
        int at = random.nextInt(text.length());
        int len = Math.min(text.length() - at, 1 + random.nextInt(12));
        return switch (random.nextInt(3)) {
            case 0 -> text.substring(0, at) + text.substring(at + len);
            case 1 -> text.substring(0, at) + text.substring(at, at + len) + text.substring(at);
            default -> {
                int j = random.nextInt(JUNK.length() - 4);
                yield text.substring(0, at) + JUNK.substring(j, j + 1 + random.nextInt(4)) + text.substring(at);
            }
        };
    }
}
