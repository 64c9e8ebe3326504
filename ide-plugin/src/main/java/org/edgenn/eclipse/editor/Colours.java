package org.edgenn.eclipse.editor;

import java.util.HashMap;
import java.util.Map;
import org.eclipse.jface.text.TextAttribute;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.edgenn.dsl.ide.highlighting.EdgeNNHighlightingStyles;

/** Style id to colour; created on first use (on the UI thread, where SWT colours belong). */
final class Colours {

    private static final Map<String, TextAttribute> BY_STYLE = new HashMap<>();

    private Colours() {
    }

    static synchronized TextAttribute of(String style) {
        if (BY_STYLE.isEmpty()) {
            put("keyword", 127, 0, 85, SWT.BOLD);
            put("comment", 63, 127, 95, SWT.NORMAL);
            put("number", 125, 125, 125, SWT.NORMAL);
            put("string", 42, 0, 255, SWT.NORMAL);
            put(EdgeNNHighlightingStyles.OP, 0, 80, 160, SWT.BOLD);
            put(EdgeNNHighlightingStyles.LAYER, 0, 128, 128, SWT.NORMAL);
            put(EdgeNNHighlightingStyles.PARAM, 160, 90, 0, SWT.NORMAL);
            put(EdgeNNHighlightingStyles.VALUE, 0, 0, 0, SWT.NORMAL);
            put(EdgeNNHighlightingStyles.STATE, 120, 0, 160, SWT.ITALIC);
            put(EdgeNNHighlightingStyles.STEP, 200, 60, 0, SWT.BOLD);
        }
        return BY_STYLE.get(style);
    }

    private static void put(String style, int r, int g, int b, int font) {
        BY_STYLE.put(style, new TextAttribute(new Color(r, g, b), null, font));
    }
}
