package org.edgenn.train.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgenn.runtime.artifact.DType;
import org.edgenn.runtime.artifact.SafetensorsReader;
import org.edgenn.runtime.artifact.TensorInfo;
import org.edgenn.train.data.DataException;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float weights a trainer starts from ({@code edgenn train --init-weights W.safetensors}), e.g. those
 * {@code edgenn import-onnx} wrote for a PyTorch model: float32 tensors named by the IR's weight names
 * ({@code L.weight}, {@code L.bias}), convolutions OHWI {@code [K, FY, FX, C/groups]} and dense layers
 * {@code [OUT, IN]} (the int8 artifact's orientation), biases and {@code param}s in their declared shape. They replace
 * the initial values of the trainer's variables, converted to its layout (dense {@code [in, out]}, conv
 * {@code [kH, kW, in/groups, out]}).
 *
 * <p>Strict, and every problem is reported at once ({@link Problems}): a tensor that names no trained weight of the
 * network, a trained weight without a tensor, another shape, another element type than float32, a NaN or infinite value.
 */
public final class InitialWeights {

    /** The problems of one file, one line each; a {@link DataException}, so the command line reports it as bad input. */
    public static final class Problems extends DataException {
        private final List<String> problems;

        Problems(Path file, String network, List<String> problems) {
            super(file + ": not initial weights of " + network + ":\n  " + String.join("\n  ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private InitialWeights() {
    }

    /**
     * Sets the trainer variables named in {@code irNames} (trainer variable → IR weight name) from {@code file};
     * {@code declared} lists the variables the trainer keeps in their declared shape ({@code param}s).
     *
     * @throws Problems     when the file does not fit the network (nothing is set then)
     * @throws DataException when the file cannot be read
     */
    public static void load(SameDiff sd, Path file, Map<String, String> irNames, Collection<String> declared, String network) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": no such file (initial weights of " + network + ")");
        }
        Map<String, String> variableOf = new LinkedHashMap<>();
        irNames.forEach((variable, ir) -> variableOf.put(ir, variable));
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            List<String> problems = new ArrayList<>();
            for (String name : r.names()) {
                if (!variableOf.containsKey(name)) {
                    problems.add("tensor " + name + " names no trained weight of " + network);
                }
            }
            Map<String, long[]> fileShapes = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : variableOf.entrySet()) {
                String ir = e.getKey();
                long[] trainer = sd.getArrForVarName(e.getValue()).shape();
                long[] expected = declared.contains(e.getValue()) ? trainer.clone() : fileShape(trainer);
                if (!r.names().contains(ir)) {
                    problems.add("no tensor " + ir + " " + Arrays.toString(expected) + " (a trained weight of " + network + ")");
                    continue;
                }
                TensorInfo info = r.info(ir);
                if (info.dtype() != DType.F32) {
                    problems.add("tensor " + ir + " is " + info.dtype() + ", not F32: initial weights are float");
                } else if (!Arrays.equals(info.shape(), expected)) {
                    problems.add("tensor " + ir + " has shape " + Arrays.toString(info.shape()) + ", " + network
                            + " needs " + Arrays.toString(expected) + layoutNote(expected));
                } else {
                    fileShapes.put(ir, expected);
                }
            }
            // values read before anything is set: a NaN or infinite weight (a diverged or corrupt export) made every
            // loss NaN from step 1 and the int8 scales meaningless, without a word about the file
            Map<String, float[]> values = new LinkedHashMap<>();
            for (String ir : fileShapes.keySet()) {
                float[] v = r.readFloat32(ir);
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isFinite(v[i])) {
                        problems.add("tensor " + ir + " holds the non-finite value " + v[i] + " at index " + i);
                        break;
                    }
                }
                values.put(ir, v);
            }
            if (!problems.isEmpty()) {
                throw new Problems(file, network, problems);
            }
            for (Map.Entry<String, long[]> e : fileShapes.entrySet()) {
                String variable = variableOf.get(e.getKey());
                INDArray stored = Nd4j.create(values.get(e.getKey()), e.getValue(), 'c');
                sd.getArrForVarName(variable).assign(declared.contains(variable) ? stored : toTrainerLayout(stored));
            }
        } catch (IOException e) {
            throw new DataException("cannot read initial weights " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's shape of a trainer variable's: conv {@code [kH, kW, in/g, out]} → OHWI, dense {@code [in, out]} → [out, in]. */
    static long[] fileShape(long[] trainer) {
        if (trainer.length == 4) {
            return new long[] {trainer[3], trainer[0], trainer[1], trainer[2]};
        }
        if (trainer.length == 2) {
            return new long[] {trainer[1], trainer[0]};
        }
        return trainer.clone();
    }

    /** The inverse of {@link #fileShape}, on the values. */
    static INDArray toTrainerLayout(INDArray stored) {
        if (stored.rank() == 4) {
            return stored.permute(1, 2, 3, 0);
        }
        if (stored.rank() == 2) {
            return stored.transpose();
        }
        return stored;
    }

    private static String layoutNote(long[] expected) {
        return expected.length == 4 ? " (conv OHWI [K, FY, FX, C/groups])" : expected.length == 2 ? " (dense [OUT, IN])" : "";
    }
}
