package org.edgenn.generator.mapping;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.ArrayAxis;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.MemoryLevel;
import org.edgenn.ir.accel.Operand;

/**
 * Test-only reader of the {@code accelerator} block of the {@code .edgenn} syntax (the real grammar lives in
 * the dsl module). Strict: any line it does not understand fails the test.
 */
public final class EdgennAcceleratorText {
    private static final Pattern HEAD = Pattern.compile("accelerator\\s+(\\w+)\\s*\\{");
    private static final Pattern MAC = Pattern.compile("mac\\s+int(\\d+)\\s+accumulator\\s+int(\\d+)");
    private static final Pattern CLOCK = Pattern.compile("clock\\s+([0-9.eE+-]+)\\s*(MHz|GHz|kHz|Hz)");
    private static final Pattern AXIS = Pattern.compile("axis\\s+(\\w+)\\s+(\\d+)\\s+unrolls((?:\\s+\\w+)+)");
    private static final Pattern MEM = Pattern.compile("memory\\s+(\\w+)(?:\\s+size\\s+([0-9.]+)\\s*(B|KiB|MiB))?"
            + "(\\s+per\\s+pe)?(?:\\s+bandwidth\\s+([0-9.eE+-]+)\\s*B/cycle)?\\s+holds\\s+([WIO](?:\\s*,\\s*[WIO])*)"
            + "\\s+read\\s+([0-9.eE+-]+)\\s*(pJ|fJ)/B\\s+write\\s+([0-9.eE+-]+)\\s*(pJ|fJ)/B");

    private EdgennAcceleratorText() {
    }

    public static AcceleratorSpec parse(String text) {
        String name = null;
        int mac = -1;
        int acc = -1;
        double clock = -1;
        List<ArrayAxis> axes = new ArrayList<>();
        List<MemoryLevel> mems = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.replaceAll("//.*", "").trim();
            if (line.isEmpty() || line.equals("}")) {
                continue;
            }
            Matcher m;
            if ((m = HEAD.matcher(line)).matches()) {
                name = m.group(1);
            } else if ((m = MAC.matcher(line)).matches()) {
                mac = Integer.parseInt(m.group(1));
                acc = Integer.parseInt(m.group(2));
            } else if ((m = CLOCK.matcher(line)).matches()) {
                double scale = switch (m.group(2)) {
                    case "GHz" -> 1e9;
                    case "MHz" -> 1e6;
                    case "kHz" -> 1e3;
                    default -> 1;
                };
                clock = Double.parseDouble(m.group(1)) * scale;
            } else if ((m = AXIS.matcher(line)).matches()) {
                Set<LoopDim> u = EnumSet.noneOf(LoopDim.class);
                for (String d : m.group(3).trim().split("\\s+")) {
                    u.add(java.util.Objects.requireNonNull(LoopDim.parse(d), d));
                }
                axes.add(new ArrayAxis(m.group(1), Integer.parseInt(m.group(2)), u));
            } else if ((m = MEM.matcher(line)).matches()) {
                long size = MemoryLevel.UNBOUNDED;
                if (m.group(2) != null) {
                    long unit = switch (m.group(3)) {
                        case "KiB" -> 1024;
                        case "MiB" -> 1024 * 1024;
                        default -> 1;
                    };
                    size = Math.round(Double.parseDouble(m.group(2)) * unit);
                }
                Set<Operand> holds = EnumSet.noneOf(Operand.class);
                for (String o : m.group(6).split(",")) {
                    holds.add(Operand.parse(o.trim()));
                }
                double bw = m.group(5) == null ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(5));
                double r = Double.parseDouble(m.group(7)) * (m.group(8).equals("fJ") ? 1e-3 : 1);
                double w = Double.parseDouble(m.group(9)) * (m.group(10).equals("fJ") ? 1e-3 : 1);
                mems.add(new MemoryLevel(m.group(1), size, m.group(4) != null, bw, holds, r, w));
            } else {
                throw new IllegalArgumentException("not understood: " + raw);
            }
        }
        return new AcceleratorSpec(name, mac, acc, clock, axes, mems);
    }
}
