package org.edgenn.ir.spec.vocab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/language.md lists the training vocabulary exactly as the catalogue defines it. After changing
 * {@link Vocabulary}: {@code mvn -pl ir test -Dtest=VocabularyDocsTest -Dvocabulary.update=true}, then review the diff.
 */
class VocabularyDocsTest {
    private static final Path DOC = Path.of("../docs/language.md");

    @Test
    void languageReferenceListsTheCatalogue() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(VocabularyTable.BEGIN);
        int end = doc.indexOf(VocabularyTable.END);
        assertTrue(begin >= 0 && end > begin, DOC + " has no vocabulary block");
        String written = doc.substring(begin + VocabularyTable.BEGIN.length(), end).strip();
        String expected = VocabularyTable.markdown().strip();
        if (Boolean.getBoolean("vocabulary.update")) {
            Files.writeString(DOC, doc.substring(0, begin + VocabularyTable.BEGIN.length()) + "\n" + expected + "\n\n" + doc.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(expected, written, DOC + " is out of date: rerun with -Dvocabulary.update=true");
    }
}
