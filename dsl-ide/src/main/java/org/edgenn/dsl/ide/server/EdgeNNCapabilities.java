package org.edgenn.dsl.ide.server;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.xtext.ide.server.ICapabilitiesContributor;

/**
 * Completion pops up where .edgenn needs it: after '(' and ',' (attributes of an op call) and
 * after '=' (initializers, padding, modes). Xtext's default triggers only on '.'.
 */
public class EdgeNNCapabilities implements ICapabilitiesContributor {

    public static final List<String> TRIGGERS = List.of("(", ",", "=");

    @Override
    public ServerCapabilities contribute(ServerCapabilities capabilities, InitializeParams params) {
        if (capabilities.getCompletionProvider() != null) {
            List<String> triggers = new ArrayList<>();
            if (capabilities.getCompletionProvider().getTriggerCharacters() != null) {
                triggers.addAll(capabilities.getCompletionProvider().getTriggerCharacters());
            }
            TRIGGERS.stream().filter(t -> !triggers.contains(t)).forEach(triggers::add);
            capabilities.getCompletionProvider().setTriggerCharacters(triggers);
        }
        return capabilities;
    }
}
