package org.edgenn.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
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
}
