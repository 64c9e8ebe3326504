package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The edgenn command builds only the subcommand its first argument names ({@link EdgeNN#forArguments}). Reference: the
 * whole tree ({@link EdgeNN#commandLine()}), where every subcommand must appear with the same options, arity, defaults
 * and positional parameters; any other first argument gets the whole tree.
 */
class CommandTreeTest {

    @Test
    void aNamedSubcommandIsBuiltAloneAndAsInTheWholeTree() {
        Map<String, CommandLine> whole = EdgeNN.commandLine().getSubcommands();
        assertEquals(EdgeNN.COMMANDS.size(), whole.size());
        for (String name : whole.keySet()) {
            Map<String, CommandLine> alone = EdgeNN.forArguments(name, "--help").getSubcommands();
            assertEquals(List.of(name), List.copyOf(alone.keySet()));
            assertEquals(describe(whole.get(name).getCommandSpec()), describe(alone.get(name).getCommandSpec()), name);
        }
    }

    @Test
    void anyOtherFirstArgumentGetsEveryCommand() {
        for (String first : List.of("--help", "-V", "mpa", "")) {
            assertEquals(EdgeNN.commandLine().getSubcommands().keySet(),
                    EdgeNN.forArguments(first).getSubcommands().keySet(), first);
        }
        assertEquals(EdgeNN.COMMANDS.size(), EdgeNN.forArguments().getSubcommands().size());
    }

    @Test
    void theSharedConverterAndHandlerReachTheLoneSubcommand() {
        // the duration converter refuses a non-positive budget (usage error) in the lone map command too
        CliRun r = CliRun.of("map", "--layer-budget", "PT-2S", "x.edgenn", "--network", "N");
        assertEquals(EdgeNN.USAGE, r.exit());
        assertTrue(r.err().contains("a time budget is positive"), r.err());
    }

    private static Map<String, String> describe(CommandSpec spec) {
        Map<String, String> d = new TreeMap<>();
        for (OptionSpec o : spec.options()) {
            d.put(String.join("|", o.names()), o.arity() + " " + o.defaultValue() + " " + o.required() + " " + o.type());
        }
        spec.positionalParameters().forEach(p -> d.put("@" + p.index(), p.arity() + " " + p.type()));
        d.put("usage", String.join("\n", spec.usageMessage().description()));
        return d;
    }
}
