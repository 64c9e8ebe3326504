package org.edgenn.cli;

import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The files and the network a command works on (a picocli mixin shared by map and train). */
final class NetworkArguments {
    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = ".edgenn files holding the network and what it needs (imports are followed)")
    List<String> files;

    @Option(names = "--network", required = true, description = "the network to work on")
    String network;
}
