package org.edgenn.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.edgenn.dsl.ide.server.EdgeNNServerModule;
import picocli.CommandLine.Command;

/**
 * {@code edgenn lsp}: the language server on stdin/stdout for VS Code, Neovim and any LSP client.
 * Xtext's generic server finds the language through {@code META-INF/services/org.eclipse.xtext.ISetup}
 * of the dsl-ide jar, so it offers exactly the IDE services the Eclipse plugin uses.
 */
@Command(name = "lsp", mixinStandardHelpOptions = true,
        description = "Run the .edgenn language server over stdio (Language Server Protocol); editors start it.")
public final class LspCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        InputStream in = System.in;
        PrintStream out = System.out;
        // stdout carries the protocol alone: anything printed by accident (a library's banner) goes to stderr
        System.setOut(System.err);
        reportUnreadableInputBriefly(System.err);
        serve(in, out).get();
        return EdgeNN.OK;
    }

    /** Starts a server on the streams; the future completes when the client closes the input. */
    public static Future<Void> serve(InputStream in, OutputStream out) {
        Injector injector = Guice.createInjector(EdgeNNServerModule.create());
        LanguageServerImpl server = injector.getInstance(LanguageServerImpl.class);
        Launcher<LanguageClient> launcher = LSPLauncher.createServerLauncher(server, in, out);
        server.connect(launcher.getRemoteProxy());
        return launcher.startListening();
    }

    /**
     * lsp4j's reader skips input it cannot read as a message (no Content-Length header, a body that is not JSON-RPC)
     * and goes on serving, which is what clients expect; but it logs each one as SEVERE with a Gson stack trace.
     * The user gets one line naming the problem instead. Kept in a field: java.util.logging holds loggers weakly,
     * and a collected logger would lose this configuration.
     */
    private static Logger reader;

    static void reportUnreadableInputBriefly(PrintStream err) {
        reader = Logger.getLogger("org.eclipse.lsp4j.jsonrpc.json.StreamMessageProducer");
        reader.setUseParentHandlers(false);
        reader.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    err.println("edgenn lsp: skipped input that is not a Language Server Protocol message: " + reason(r));
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
            }
        });
    }

    /** The innermost cause's message on one line, without Gson's troubleshooting link. */
    static String reason(LogRecord r) {
        Throwable t = r.getThrown();
        while (t != null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t != null && t.getMessage() != null ? t.getMessage() : String.valueOf(r.getMessage());
        int link = message.indexOf("\nSee https://");
        if (link >= 0) {
            message = message.substring(0, link);
        }
        message = message.strip().replace("\r", "\\r").replace("\n", "\\n");
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
