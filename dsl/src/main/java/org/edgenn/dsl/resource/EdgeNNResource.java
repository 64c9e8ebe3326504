package org.edgenn.dsl.resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackReader;
import java.io.Reader;
import org.eclipse.xtext.linking.lazy.LazyLinkingResource;

/**
 * The language's resource: Xtext's lazily linking one, reading a file that starts with a UTF-8 byte-order mark
 * (Windows editors write one) as the text after it. The lexer took the mark for a token, so such a file failed
 * with "missing EOF at '\uFEFF'" on line 1 and an import of it did not resolve.
 */
public class EdgeNNResource extends LazyLinkingResource {

    private static final int BOM = '\uFEFF';

    @Override
    protected Reader createReader(InputStream inputStream) throws IOException {
        PushbackReader reader = new PushbackReader(super.createReader(inputStream), 1);
        int first = reader.read();
        if (first != -1 && first != BOM) {
            reader.unread(first);
        }
        return reader;
    }
}
