package org.edgenn.cli.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random edits through the language server, as a careless typist makes them: every example file
 * is opened, then receives incremental {@code didChange}s that insert a random piece of some example's text or
 * delete a random range (fixed seed). Every tenth edit is followed by a completion, hover or outline request at a
 * random position, which also waits for the edit's build. Any error response, or any error or exception the
 * server logs, fails the test; at the end the server's diagnostics must be for the text the test holds.
 */
class EditFuzzTest {
    private static final int EDITS = 3000;
    private static final Path EXAMPLES = Path.of("..", "examples", "src", "main", "edgenn").toAbsolutePath().normalize();

    @Test
    void randomEditsNeverProduceAnErrorResponseOrALoggedException() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(EXAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".edgenn")).sorted().toList();
        }
        List<String> corpus = new ArrayList<>();
        for (Path f : files) corpus.add(Files.readString(f));
        Random random = new Random(20261205);
        long start = System.nanoTime();
        try (LoggedErrors logged = new LoggedErrors(); InProcessServer server = new InProcessServer()) {
            InitializeParams init = new InitializeParams();
            init.setProcessId((int) ProcessHandle.current().pid());
            init.setRootUri(EXAMPLES.toUri().toString());
            init.setWorkspaceFolders(List.of(new WorkspaceFolder(EXAMPLES.toUri().toString(), "examples")));
            server.initialize(init);
            List<StringBuilder> texts = new ArrayList<>();
            int[] versions = new int[files.size()];
            for (int i = 0; i < files.size(); i++) {
                texts.add(new StringBuilder(corpus.get(i)));
                server.remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
                        new TextDocumentItem(files.get(i).toUri().toString(), "edgenn", 0, corpus.get(i))));
            }
            int requests = 0;
            for (int edit = 0; edit < EDITS; edit++) {
                int f = random.nextInt(files.size());
                StringBuilder text = texts.get(f);
                String uri = files.get(f).toUri().toString();
                int from = random.nextInt(text.length() + 1);
                int to = random.nextInt(4) == 0 ? Math.min(text.length(), from + random.nextInt(40)) : from;
                String insert = "";
                if (to == from || random.nextBoolean()) {
                    String source = corpus.get(random.nextInt(corpus.size()));
                    int at = random.nextInt(source.length());
                    insert = source.substring(at, Math.min(source.length(), at + 1 + random.nextInt(random.nextInt(8) == 0 ? 120 : 12)));
                }
                Range range = new Range(position(text, from), position(text, to));
                text.replace(from, to, insert);
                server.remote.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                        new VersionedTextDocumentIdentifier(uri, ++versions[f]), List.of(new TextDocumentContentChangeEvent(range, insert))));
                if (edit % 10 == 9) {
                    request(server, uri, position(text, random.nextInt(text.length() + 1)), random.nextInt(3)).get(60, TimeUnit.SECONDS);
                    requests++;
                }
            }
            // the server's copy equals ours: replacing what we hold as the whole text by the original file must give the
            // original's diagnostics (none); a server copy longer than ours would keep its tail and show errors
            for (int i = 0; i < files.size(); i++) {
                String uri = files.get(i).toUri().toString();
                StringBuilder text = texts.get(i);
                server.remote.getTextDocumentService().didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, ++versions[i]),
                        List.of(new TextDocumentContentChangeEvent(new Range(new Position(0, 0), position(text, text.length())), corpus.get(i)))));
            }
            server.remote.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(files.get(0).toUri().toString()), new Position(0, 0)))
                    .get(60, TimeUnit.SECONDS);
            java.util.Map<String, List<org.eclipse.lsp4j.Diagnostic>> last = new java.util.HashMap<>();
            for (var p = server.client.diagnostics.poll(2, TimeUnit.SECONDS); p != null; p = server.client.diagnostics.poll(2, TimeUnit.SECONDS)) {
                last.put(p.getUri(), p.getDiagnostics());
            }
            for (Path file : files) {
                List<?> errors = last.getOrDefault(file.toUri().toString(), List.of()).stream()
                        .filter(d -> d.getSeverity() == org.eclipse.lsp4j.DiagnosticSeverity.Error).toList();
                assertEquals(List.of(), errors, file + " restored");
            }
            assertEquals(List.of(), logged.errors, "errors logged by the server");
            assertEquals(List.of(), server.client.errors, "error messages sent to the client");
            System.out.printf("%d edits, %d requests in %.1f s%n", EDITS, requests, (System.nanoTime() - start) / 1e9);
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "the fuzz run must stay under a minute");
    }

    private static CompletableFuture<?> request(InProcessServer server, String uri, Position at, int kind) {
        TextDocumentIdentifier doc = new TextDocumentIdentifier(uri);
        switch (kind) {
            case 0:
                return server.remote.getTextDocumentService().completion(new CompletionParams(doc, at));
            case 1:
                return server.remote.getTextDocumentService().hover(new HoverParams(doc, at));
            default:
                return server.remote.getTextDocumentService().documentSymbol(new DocumentSymbolParams(doc));
        }
    }

    /** The LSP position (line, UTF-16 column) of an offset. */
    private static Position position(CharSequence text, int offset) {
        int line = 0, lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Position(line, offset - lineStart);
    }
}
