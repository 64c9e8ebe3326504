package org.edgenn.dsl.ide.server;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import org.eclipse.xtext.ide.server.IMultiRootWorkspaceConfigFactory;
import org.eclipse.xtext.ide.server.ServerModule;
import org.eclipse.xtext.ide.server.WorkspaceManager;

/**
 * Xtext's language-server wiring, plus single-file mode: a client that opens one file with no root and no
 * workspace folders ({@code "rootUri": null}, as Neovim and {@code code file.edgenn} do) gets a workspace of
 * the files it opens, instead of Xtext's NullPointerException.
 */
public final class EdgeNNServerModule {
    private EdgeNNServerModule() {
    }

    /** The module {@code edgenn lsp} creates its server injector from. */
    public static Module create() {
        return Modules.override(new ServerModule()).with(new AbstractModule() {
            @Override
            protected void configure() {
                bind(WorkspaceManager.class).to(EdgeNNWorkspaceManager.class);
                bind(IMultiRootWorkspaceConfigFactory.class).to(OpenFilesWorkspaceConfigFactory.class);
            }
        });
    }
}
