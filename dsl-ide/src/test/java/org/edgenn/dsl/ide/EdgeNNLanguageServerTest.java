package org.edgenn.dsl.ide;

import org.junit.jupiter.api.Assertions;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.xtext.testing.AbstractLanguageServerTest;
import org.edgenn.dsl.validation.IssueCodes;
import org.junit.jupiter.api.Test;

/**
 * The language server in-process (Xtext's test harness drives LanguageServerImpl directly): the
 * services of this module reach LSP clients with positions intact.
 */
class EdgeNNLanguageServerTest extends AbstractLanguageServerTest {

    EdgeNNLanguageServerTest() {
        super("edgenn");
    }

    private static final String MODEL = Editors.LISTA;

    @Test
    void diagnosticsFollowEditsAsYouType() {
        initialize();
        String uri = writeFile("lista.edgenn", MODEL);
        open(uri, MODEL);
        Assertions.assertEquals(List.of(), errors(uri));

        change(uri, 2, MODEL.replace("init=ista_s", "init=ista_z"));
        List<Diagnostic> errors = errors(uri);
        Assertions.assertEquals(1, errors.size(), errors.toString());
        Assertions.assertEquals(IssueCodes.UNKNOWN_INITIALIZER, errors.get(0).getCode().getLeft());
        Assertions.assertEquals(13, errors.get(0).getRange().getStart().getLine()); // 0-based: the line of layer S

        change(uri, 3, MODEL);
        Assertions.assertEquals(List.of(), errors(uri));
    }

    @Test
    void completionTriggersOnCallPunctuation() {
        List<String> triggers = initialize().getCapabilities().getCompletionProvider().getTriggerCharacters();
        assertTrue(triggers.containsAll(List.of("(", ",", "=")), triggers.toString());
    }

    @Test
    void completionOfAttributes() {
        testCompletion(it -> {
            it.setModel("network N {\n  input y: f32[8]\n  let u = upsample(y, )\n  output u\n}\n");
            it.setLine(2);
            it.setColumn(22);
            it.setAssertCompletionList(list -> {
                List<String> labels = list.getItems().stream().map(CompletionItem::getLabel).toList();
                assertTrue(labels.containsAll(List.of("factor", "mode")), labels.toString());
                assertFalse(labels.contains("kernel"), labels.toString());
            });
        });
    }

    @Test
    void hoverShowsShapeParamsAndMacs() {
        testHover(it -> {
            it.setModel(MODEL);
            it.setLine(12); // layer We = dense(250 -> 500, ...)
            it.setColumn(9);
            it.setAssertHover(hover -> Assertions.assertTrue(hover.getContents().getRight().getValue()
                    .startsWith("**layer We = dense**\n\noutput [500], params 125k, MACs 125k"),
                    hover.getContents().getRight().getValue()));
        });
    }

    @Test
    void codeActionFixesAnUnknownAttribute() {
        String broken = MODEL.replace("bias=false, init=ista_s", "bais=false, init=ista_s");
        testCodeAction(it -> {
            it.setModel(broken);
            it.setLine(13);
            it.setColumn(32);
            it.setAssertCodeActions(actions -> {
                List<CodeAction> fixes = actions.stream().filter(a -> a.isRight()).map(a -> a.getRight()).toList();
                Assertions.assertEquals(List.of("Change to 'bias'"), fixes.stream().map(CodeAction::getTitle).toList());
                List<TextEdit> edits = fixes.get(0).getEdit().getChanges().values().iterator().next();
                Assertions.assertEquals("bias", edits.get(0).getNewText());
                Assertions.assertEquals(13, edits.get(0).getRange().getStart().getLine());
                Assertions.assertEquals(broken.lines().toList().get(13).indexOf("bais"), edits.get(0).getRange().getStart().getCharacter());
            });
        });
    }

    @Test
    void outlineListsTheDeclarations() {
        testDocumentSymbol(it -> {
            it.setModel(MODEL);
            it.setAssertSymbols(symbols -> {
                // the harness asks for a flat list (SymbolInformation-like, in document order)
                List<String> names = symbols.stream().map(s -> s.isRight() ? s.getRight().getName() : s.getLeft().getName())
                        .toList();
                Assertions.assertEquals(List.of("Tiny16", "rows", "cols", "rf", "gbuf", "dram",
                        "Lista", "y", "x_true", "We", "S", "theta", "b", "x", "unroll 16 as k", "output x", "loss nmse(x, x_true)"), names);
            });
        });
    }

    @Test
    void semanticTokensUseStandardLspTypes() throws Exception {
        var init = initialize();
        List<String> legend = init.getCapabilities().getSemanticTokensProvider().getLegend().getTokenTypes();
        String text = "network N {\n  input y: f32[8]\n  let r = relu(y)\n  output r\n}\n";
        String uri = writeFile("tokens.edgenn", text);
        open(uri, text);
        List<Integer> data = languageServer.semanticTokensFull(new org.eclipse.lsp4j.SemanticTokensParams(
                new org.eclipse.lsp4j.TextDocumentIdentifier(uri))).get().getData();
        // decode (deltaLine, deltaStart, length, type, modifiers) quintuples into "line:col:length:type"
        List<String> tokens = new java.util.ArrayList<>();
        int line = 0;
        int col = 0;
        for (int i = 0; i < data.size(); i += 5) {
            line += data.get(i);
            col = data.get(i) == 0 ? col + data.get(i + 1) : data.get(i + 1);
            tokens.add(line + ":" + col + ":" + data.get(i + 2) + ":" + legend.get(data.get(i + 3)));
        }
        Assertions.assertEquals(List.of("1:8:1:variable", "2:6:1:variable", "2:10:4:function", "2:15:1:variable",
                "3:9:1:variable"), tokens);
    }

    private List<Diagnostic> errors(String uri) {
        return getDiagnostics().getOrDefault(uri, List.of()).stream()
                .filter(d -> d.getSeverity() == org.eclipse.lsp4j.DiagnosticSeverity.Error).toList();
    }

    private void change(String uri, int version, String text) {
        languageServer.didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, version),
                List.of(new TextDocumentContentChangeEvent(text))));
    }
}
