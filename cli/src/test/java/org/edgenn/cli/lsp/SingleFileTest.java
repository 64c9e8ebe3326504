package org.edgenn.cli.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.WorkspaceClientCapabilities;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A single file opened in an editor: {@code initialize} with {@code "rootUri": null} and no workspace folders
 * (Neovim without a root, {@code code file.edgenn}) answers normally, and the file is served: diagnostics at
 * their positions, hover, and its imports read from disk. Both of Xtext's initialization paths: a client that
 * declares workspace-folder support (with none) and one that does not.
 */
class SingleFileTest {
    private static final String BROKEN = "network N {\n  input y: f32[8]\n  let u = upsample(y, factr=2)\n  output u\n}\n";

    private static InitializeParams noRoot(boolean workspaceFolders) {
        InitializeParams init = new InitializeParams();
        init.setProcessId((int) ProcessHandle.current().pid());
        init.setRootUri(null);
        init.setWorkspaceFolders(null);
        if (workspaceFolders) {
            WorkspaceClientCapabilities ws = new WorkspaceClientCapabilities();
            ws.setWorkspaceFolders(true);
            ClientCapabilities caps = new ClientCapabilities();
            caps.setWorkspace(ws);
            init.setCapabilities(caps);
        }
        return init;
    }

    @ParameterizedTest(name = "workspace folders supported: {0}")
    @ValueSource(booleans = {false, true})
    void noRootServesTheOpenedFile(boolean workspaceFolders, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (InProcessServer server = new InProcessServer()) {
            var result = server.initialize(noRoot(workspaceFolders));
            assertNotNull(result.getCapabilities().getHoverProvider());

            Path file = dir.resolve("n.edgenn");
            Files.writeString(file, BROKEN);
            String uri = file.toUri().toString();
            server.remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "edgenn", 1, BROKEN)));
            PublishDiagnosticsParams p = server.nextDiagnostics(uri);
            Diagnostic unknown = p.getDiagnostics().stream().filter(d -> d.getCode().getLeft().endsWith("unknownAttribute"))
                    .findFirst().orElseThrow(() -> new AssertionError(p.getDiagnostics().toString()));
            assertEquals(new Position(2, 22), unknown.getRange().getStart());

            // positions past a line's end or past the last line are clamped, as the protocol says: no error response
            for (Position past : List.of(new Position(0, 200), new Position(40, 3), new Position(2, 9999))) {
                server.remote.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri), past)).get(30, TimeUnit.SECONDS);
            }
            var hover = server.remote.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri), new Position(1, 8)))
                    .get(30, TimeUnit.SECONDS);
            assertTrue(hover.getContents().getRight().getValue().contains("**input y**\n\noutput f32[8]"), hover.toString());
            assertTrue(server.client.errors.isEmpty(), server.client.errors.toString());
        }
    }

    /** An example that imports its target relative to itself: no root, yet the import resolves (no errors). */
    @ParameterizedTest(name = "workspace folders supported: {0}")
    @ValueSource(booleans = {false, true})
    void importsOfASingleFileResolveFromDisk(boolean workspaceFolders) throws Exception {
        Path file = Path.of("..", "examples", "src", "main", "edgenn", "lista", "lista.edgenn").toAbsolutePath().normalize();
        String text = Files.readString(file);
        try (InProcessServer server = new InProcessServer()) {
            server.initialize(noRoot(workspaceFolders));
            String uri = file.toUri().toString();
            server.remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "edgenn", 1, text)));
            PublishDiagnosticsParams p = server.nextDiagnostics(uri);
            List<Diagnostic> errors = p.getDiagnostics().stream().filter(d -> d.getSeverity() == DiagnosticSeverity.Error).toList();
            assertEquals(List.of(), errors);
            // line 12: `  layer We = dense(250 -> 500, ...)`; the hover's cost line needs the imported target
            var hover = server.remote.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri), new Position(11, 9)))
                    .get(60, TimeUnit.SECONDS).getContents().getRight().getValue();
            assertTrue(hover.contains("params 125k") && hover.contains("on Tiny16: latency"), hover);
            assertTrue(server.client.errors.isEmpty(), server.client.errors.toString());
        }
    }
}
