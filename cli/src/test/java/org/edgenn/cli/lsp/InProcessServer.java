package org.edgenn.cli.lsp;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.edgenn.cli.LspCommand;

/**
 * {@code edgenn lsp}'s server ({@link LspCommand#serve}) in this JVM, spoken to over piped streams with lsp4j's
 * client launcher: the same JSON-RPC framing as stdio, without a process per test.
 */
final class InProcessServer implements AutoCloseable {
    /** What the server pushes: diagnostics, and every log or show message (an error there fails a test). */
    static final class Client implements LanguageClient {
        final BlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();
        final List<MessageParams> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void publishDiagnostics(PublishDiagnosticsParams p) {
            diagnostics.add(p);
        }

        @Override
        public void telemetryEvent(Object o) {
        }

        @Override
        public void showMessage(MessageParams p) {
            if (p.getType() == MessageType.Error) errors.add(p);
        }

        @Override
        public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams p) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void logMessage(MessageParams p) {
            if (p.getType() == MessageType.Error) errors.add(p);
        }
    }

    final Client client = new Client();
    final LanguageServer remote;
    private final PipedOutputStream toServer;
    private final Future<Void> serving;
    private final Future<Void> listening;

    InProcessServer() throws IOException {
        PipedInputStream serverIn = new PipedInputStream(1 << 16);
        toServer = new PipedOutputStream(serverIn);
        PipedInputStream clientIn = new PipedInputStream(1 << 16);
        PipedOutputStream serverOut = new PipedOutputStream(clientIn);
        serving = LspCommand.serve(serverIn, serverOut);
        Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, clientIn, toServer);
        listening = launcher.startListening();
        remote = launcher.getRemoteProxy();
    }

    InitializeResult initialize(InitializeParams params) throws Exception {
        InitializeResult result = remote.initialize(params).get(60, TimeUnit.SECONDS);
        remote.initialized(new InitializedParams());
        return result;
    }

    /** The next diagnostics published for {@code uri} that satisfy nothing in particular but arrive within 60 s. */
    PublishDiagnosticsParams nextDiagnostics(String uri) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            PublishDiagnosticsParams p = client.diagnostics.poll(1, TimeUnit.SECONDS);
            if (p != null && p.getUri().equals(uri)) return p;
        }
        throw new AssertionError("no diagnostics published for " + uri);
    }

    @Override
    public void close() throws Exception {
        try {
            // no exit: Xtext's exit handler ends the JVM (System.exit), which is the test runner's here
            remote.shutdown().get(30, TimeUnit.SECONDS);
        } finally {
            toServer.close();
            serving.cancel(true);
            listening.cancel(true);
        }
    }
}
