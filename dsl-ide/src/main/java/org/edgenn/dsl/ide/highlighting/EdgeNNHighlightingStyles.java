package org.edgenn.dsl.ide.highlighting;

import java.util.List;

/**
 * Semantic highlighting style ids, beyond Xtext's lexical ones (keyword, number, comment...). An
 * editor maps each id to a colour; the Eclipse plugin and the LSP token legend use the same ids.
 */
public final class EdgeNNHighlightingStyles {
    public static final String OP = "edgenn.op";
    public static final String LAYER = "edgenn.layer";
    public static final String PARAM = "edgenn.param";
    /** inputs, labels, teachers and lets: values that flow through the network */
    public static final String VALUE = "edgenn.value";
    public static final String STATE = "edgenn.state";
    public static final String STEP = "edgenn.step";

    public static final List<String> ALL = List.of(OP, LAYER, PARAM, VALUE, STATE, STEP);

    /**
     * The LSP semantic token type each style is sent as (Xtext's token service matches style ids
     * against the standard LSP types, so each position carries both), so every LSP theme colours them.
     */
    public static String lspTokenType(String style) {
        return switch (style) {
            case OP -> "function";
            case LAYER -> "class";
            case PARAM -> "parameter";
            case STATE -> "property";
            case STEP -> "typeParameter";
            default -> "variable";
        };
    }

    private EdgeNNHighlightingStyles() {
    }
}
