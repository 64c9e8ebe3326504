package org.edgenn.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Inject;
import com.google.inject.Injector;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.dsl.tests.EdgeNNInjectorProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random edits of the example files (deleting, inserting, swapping characters and tokens) never
 * make the parser, validator or lowering throw: every mistake becomes a diagnostic.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(EdgeNNInjectorProvider.class)
class MutationFuzzTest {
    private static final int MUTANTS_PER_FILE = 300;
    private static final String[] TOKENS = {"(", ")", "{", "}", "[", "]", ",", "->", "=", "+", "-", "*", "/", "0", "-1",
        "99999999999", "1e999", "k", "x", "unroll", "layer", "param", "state", "conv2d", "dense", "shrink", "loss",
        "import", "\"", "%", "per-channel", "on", "budget", "\n", " "};

    @Inject
    private Injector injector;

    @Inject
    private ProgramLowering lowering;

    @Test
    void mutatedExamplesNeverThrow() throws Exception {
        Random random = new Random(20261124);
        int checked = 0;
        for (Path file : Examples.files()) {
            String original = Files.readString(file);
            for (int i = 0; i < MUTANTS_PER_FILE; i++) {
                String mutant = mutate(original, random, 1 + random.nextInt(4));
                try {
                    checkWithoutThrowing(file, mutant);
                } catch (RuntimeException | StackOverflowError e) {
                    throw new AssertionError("mutant " + i + " of " + file.getFileName() + " threw; its text:\n" + mutant, e);
                }
                checked++;
            }
        }
        assertTrue(checked >= 4 * MUTANTS_PER_FILE);
    }

    private void checkWithoutThrowing(Path file, String text) throws Exception {
        XtextResourceSet rs = injector.getInstance(XtextResourceSet.class);
        // same directory as the original, so its imports resolve
        Resource r = rs.createResource(URI.createFileURI(file.resolveSibling("mutant.edgenn").toString()));
        r.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Map.of());
        Examples.validate(r);
        if (!r.getContents().isEmpty()) {
            lowering.lower(List.of((Model) r.getContents().get(0)));
        }
    }

    static String mutate(String text, Random random, int edits) {
        StringBuilder b = new StringBuilder(text);
        for (int e = 0; e < edits && b.length() > 0; e++) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(5)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(40)));
                case 2 -> b.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 3 -> {
                    int other = random.nextInt(b.length());
                    char c = b.charAt(at);
                    b.setCharAt(at, b.charAt(other));
                    b.setCharAt(other, c);
                }
                default -> b.setLength(at); // truncated file
            }
        }
        return b.toString();
    }
}
