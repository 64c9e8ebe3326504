package org.edgenn.cli;

import java.io.PrintWriter;
import java.util.List;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The files and the network a command works on (a picocli mixin shared by map, train, verify and build). */
final class NetworkArguments {
    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = ".edgenn files holding the network and what it needs (imports are followed)")
    List<String> files;

    @Option(names = "--network", required = true, description = "the network to work on")
    String network;

    /**
     * The files loaded and checked ({@link Loaded}) and the named network; {@code exit} is set (and printed about) when
     * the command cannot go on.
     */
    record Selected(Loaded loaded, Program program, Network network, Integer exit) {}

    /** Loads and checks the files, then picks the network: the start every single-network command shares. */
    Selected select(PrintWriter err) {
        Loaded loaded = Loaded.check(files, err);
        if (loaded.exit() != null) {
            return new Selected(loaded, null, null, loaded.exit());
        }
        Program program = loaded.checked().program();
        Network net = network(program, err);
        return new Selected(loaded, program, net, net == null ? EdgeNN.USAGE : null);
    }

    /** The named network, or null after telling {@code err} which networks there are. */
    Network network(Program program, PrintWriter err) {
        Network net = program.network(network).orElse(null);
        if (net == null) {
            err.println("edgenn: error: no network " + network + "; networks: "
                    + program.networks().stream().map(Network::name).toList());
            err.flush();
        }
        return net;
    }

    /** The named accelerator, or null after telling {@code err} which accelerators there are. */
    static AcceleratorSpec accelerator(Program program, String name, PrintWriter err) {
        AcceleratorSpec accel = program.accelerator(name).orElse(null);
        if (accel == null) {
            err.println("edgenn: error: " + noAccelerator(program, name));
            err.flush();
        }
        return accel;
    }

    /**
     * Prints a positioned error for every declared width {@code accel}'s MACs cannot execute; false when there was one.
     * (The editor says the same for the accelerators a network's budgets name.)
     */
    static boolean executable(Network net, AcceleratorSpec accel, PrintWriter err) {
        var unsupported = net.compression().unsupportedOn(accel.macBits());
        for (var q : unsupported) {
            err.println(org.edgenn.ir.Diagnostic.error(q.source(),
                    org.edgenn.ir.spec.Compression.unsupportedMessage(q.precision(), accel.name(), accel.macBits())));
        }
        err.flush();
        return unsupported.isEmpty();
    }

    /** {@code no accelerator X; accelerators: [Tiny16, TpuLike]}. */
    static String noAccelerator(Program program, String name) {
        return "no accelerator " + name + "; accelerators: "
                + program.accelerators().stream().map(AcceleratorSpec::name).toList();
    }
}
