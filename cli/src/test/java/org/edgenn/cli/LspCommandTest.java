package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgenn lsp} as an editor runs it: a separate process spoken to over its real stdin and
 * stdout with lsp4j's JSON-RPC client. Also checks that stdout carries nothing but protocol frames.
 */
class LspCommandTest {

    /** Collects what the server pushes. */
    static final class Client implements LanguageClient {
        final BlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();

        @Override
        public void publishDiagnostics(PublishDiagnosticsParams p) {
            diagnostics.add(p);
        }

        @Override
        public void telemetryEvent(Object o) {
        }

        @Override
        public void showMessage(MessageParams p) {
        }

        @Override
        public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams p) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void logMessage(MessageParams p) {
        }
    }

    /** Keeps a copy of every byte the server wrote to stdout. */
    static final class Recording extends FilterInputStream {
        final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        Recording(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                copy.write(buf, off, n);
            }
            return n;
        }
    }

    @Test
    void initializeOpenDiagnoseCompleteShutdownOverRealStdio(@TempDir Path dir) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                EdgeNN.class.getName(), "lsp")
                // the server logs to stderr; kept in target/ for a failing run
                .redirectError(Path.of("target", "lsp-stderr.txt").toFile()).start();
        try {
            Client client = new Client();
            Recording stdout = new Recording(server.getInputStream());
            Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, stdout, server.getOutputStream());
            launcher.startListening();
            LanguageServer remote = launcher.getRemoteProxy();

            InitializeParams init = new InitializeParams();
            init.setProcessId((int) ProcessHandle.current().pid());
            init.setWorkspaceFolders(List.of(new WorkspaceFolder(dir.toUri().toString(), "w")));
            init.setRootUri(dir.toUri().toString()); // Xtext reads the root URI
            var result = remote.initialize(init).get(60, TimeUnit.SECONDS);
            assertTrue(result.getCapabilities().getCompletionProvider() != null);
            remote.initialized(new InitializedParams());

            // a typo in an attribute: the server must publish an error for it
            String text = "network N {\n  input y: f32[8]\n  let u = upsample(y, factr=2)\n  output u\n}\n";
            Path file = dir.resolve("n.edgenn");
            Files.writeString(file, text);
            String uri = file.toUri().toString();
            remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "edgenn", 1, text)));
            PublishDiagnosticsParams published = awaitDiagnostics(client, uri);
            var errors = published.getDiagnostics().stream()
                    .filter(d -> d.getSeverity() == org.eclipse.lsp4j.DiagnosticSeverity.Error).toList();
            // factr is unknown, and so factor is missing
            assertEquals(List.of("org.edgenn.dsl.unknownAttribute", "org.edgenn.dsl.missingAttribute"),
                    errors.stream().map(d -> d.getCode().getLeft()).sorted(java.util.Comparator.reverseOrder()).toList());
            var unknown = errors.stream().filter(d -> d.getCode().getLeft().endsWith("unknownAttribute")).findFirst().orElseThrow();
            assertEquals(new Position(2, 22), unknown.getRange().getStart());

            // completion inside the call: upsample's attributes
            var completion = remote.getTextDocumentService().completion(
                    new CompletionParams(new TextDocumentIdentifier(uri), new Position(2, 22))).get(30, TimeUnit.SECONDS);
            List<String> labels = completion.getRight().getItems().stream().map(CompletionItem::getLabel).toList();
            assertTrue(labels.contains("factor") && labels.contains("mode"), labels.toString());

            remote.shutdown().get(30, TimeUnit.SECONDS);
            remote.exit();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server must exit after 'exit'");
            assertEquals(0, server.exitValue());
            assertOnlyProtocolFrames(stdout.copy.toByteArray());
        } finally {
            server.destroyForcibly();
        }
    }

    /**
     * Input that is not a protocol message (no Content-Length header; a body that is not JSON-RPC) is skipped with
     * one line on stderr naming it, no stack trace, and the server goes on answering the valid messages after it.
     */
    @Test
    void garbageOnStdinIsOneLineOnStderrAndTheServerKeepsServing(@TempDir Path dir) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dir.resolve("stderr.txt");
        Process server = new ProcessBuilder(javaBin, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                EdgeNN.class.getName(), "lsp").redirectError(stderr.toFile()).start();
        try {
            var toServer = server.getOutputStream();
            toServer.write("hello, this is not a header\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            toServer.write("Content-Length: 9\r\n\r\n{\"a\":[1,}".getBytes(StandardCharsets.US_ASCII));
            toServer.write("Content-Length: 5\r\n\r\nxxxxx".getBytes(StandardCharsets.US_ASCII));
            toServer.flush();

            Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(new Client(), server.getInputStream(), toServer);
            launcher.startListening();
            LanguageServer remote = launcher.getRemoteProxy();
            InitializeParams init = new InitializeParams();
            init.setProcessId((int) ProcessHandle.current().pid());
            init.setWorkspaceFolders(List.of(new WorkspaceFolder(dir.toUri().toString(), "w")));
            init.setRootUri(dir.toUri().toString());
            var result = remote.initialize(init).get(60, TimeUnit.SECONDS);
            assertTrue(result.getCapabilities().getCompletionProvider() != null);
            remote.shutdown().get(30, TimeUnit.SECONDS);
            remote.exit();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server must exit after 'exit'");
            assertEquals(0, server.exitValue());

            List<String> lines = Files.readAllLines(stderr);
            String prefix = "edgenn lsp: skipped input that is not a Language Server Protocol message: ";
            // one line per skipped input, in order, each naming what was wrong (Gson's wording may change with its version)
            String all = String.join("\n", lines);
            assertEquals(3, lines.size(), all);
            assertTrue(lines.stream().allMatch(l -> l.startsWith(prefix)), all);
            assertTrue(lines.get(0).endsWith("Missing header Content-Length in input \"hello, this is not a header\\r\\n\\r\\n\""), all);
            assertTrue(lines.get(1).contains("line 1 column 9"), all);
            assertTrue(lines.get(2).contains("BEGIN_OBJECT"), all);
            assertTrue(lines.stream().noneMatch(l -> l.contains("Exception") || l.contains("https://")), all);
        } finally {
            server.destroyForcibly();
        }
    }

    private static PublishDiagnosticsParams awaitDiagnostics(Client client, String uri) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            PublishDiagnosticsParams p = client.diagnostics.poll(1, TimeUnit.SECONDS);
            // the workspace scan may publish first (an empty list, or the file from disk): wait for an error
            if (p != null && p.getUri().equals(uri) && !p.getDiagnostics().isEmpty()) {
                return p;
            }
        }
        throw new AssertionError("no diagnostics published for " + uri);
    }

    /** stdout must be a sequence of "Content-Length: n\r\n...\r\n\r\n" + n bytes frames, nothing else. */
    private static void assertOnlyProtocolFrames(byte[] out) {
        int i = 0;
        int frames = 0;
        while (i < out.length) {
            String rest = new String(out, i, Math.min(200, out.length - i), StandardCharsets.US_ASCII);
            assertTrue(rest.startsWith("Content-Length: "), "not a protocol frame at byte " + i + ": " + rest);
            int headerEnd = indexOf(out, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), i);
            assertTrue(headerEnd > 0, "unterminated header at byte " + i);
            String header = new String(out, i, headerEnd - i, StandardCharsets.US_ASCII);
            int length = Integer.parseInt(header.lines().filter(l -> l.startsWith("Content-Length: ")).findFirst()
                    .orElseThrow().substring(16).trim());
            i = headerEnd + 4 + length;
            frames++;
        }
        assertEquals(out.length, i, "stdout ends inside a frame");
        assertTrue(frames >= 3, "initialize, diagnostics, completion and shutdown replies expected, got " + frames);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
