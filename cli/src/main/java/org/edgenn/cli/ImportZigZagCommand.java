package org.edgenn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.edgenn.generator.mapping.zigzag.ZigZagImport;
import org.edgenn.generator.mapping.zigzag.ZigZagImportException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgenn import-zigzag HW.yaml}: a ZigZag hardware description as an .edgenn accelerator. */
@Command(name = "import-zigzag", mixinStandardHelpOptions = true,
        description = "Convert a ZigZag hardware description (YAML) into an .edgenn accelerator block.")
public final class ImportZigZagCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "HW.yaml", description = "ZigZag hardware (accelerator) YAML")
    Path hardware;

    @Option(names = "--mapping", paramLabel = "MAPPING.yaml",
            description = "ZigZag mapping YAML, to take which loop dimensions each array axis unrolls")
    Path mapping;

    @Option(names = "--partial-sum-bits", paramLabel = "BITS", defaultValue = "16",
            description = "accumulator width: ZigZag keeps operand precisions in its workloads, whose partial sums "
                    + "are 16 bits (operand_precision O); any width from 2 to 32 bits (12, 24); default ${DEFAULT-VALUE}")
    int partialSumBits;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write here (atomically) instead of to standard output")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String text;
        Path reading = hardware;
        try {
            String hw = Files.readString(hardware);
            reading = mapping;
            String mappingText = mapping == null ? null : Files.readString(mapping);
            text = ZigZagImport.toEdgenn(hw, hardware.toString(), mappingText,
                    mapping == null ? null : mapping.toString(), partialSumBits);
        } catch (NoSuchFileException e) {
            err.println(e.getFile() + ": error: no such file");
            err.flush();
            return EdgeNN.USAGE;
        } catch (java.nio.charset.CharacterCodingException e) {
            err.println(reading + ": error: not a text (UTF-8) file: a ZigZag YAML is expected");
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        } catch (IOException e) {
            err.println(reading + ": error: cannot read: " + e.getMessage());
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        } catch (ZigZagImportException e) {
            // one line per problem, in the file it is in: path: error: field: what is wrong
            for (ZigZagImportException.Problem p : e.located()) {
                err.println((p.file() == null ? hardware.toString() : p.file()) + ": error: " + p.message());
            }
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        }
        if (out == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
            return EdgeNN.OK;
        }
        try {
            org.edgenn.runtime.io.AtomicFiles.write(out, text);
        } catch (IOException e) {
            err.println(out + ": error: " + EdgeNN.reason(e));
            err.flush();
            return EdgeNN.INPUT_ERRORS;
        }
        return EdgeNN.OK;
    }
}
