package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.AcceleratorMember;
import org.edgenn.dsl.edgeNN.ArrayAxis;
import org.edgenn.dsl.edgeNN.ClockSpec;
import org.edgenn.dsl.edgeNN.MacSpec;
import org.edgenn.dsl.edgeNN.MemoryLevel;
import org.edgenn.dsl.edgeNN.PeArea;
import org.edgenn.dsl.edgeNN.Precision;
import org.edgenn.dsl.validation.IssueCodes;
import org.edgenn.ir.ElementType;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.accel.AreaModel;
import org.edgenn.ir.accel.LoopDim;
import org.edgenn.ir.accel.Operand;
import org.edgenn.ir.accel.SparseSupport;

/** Lowers an accelerator description, checking the array, units and memory hierarchy. */
public final class AcceleratorLowering {

    public record Result(AcceleratorSpec accelerator, Problems problems) {
    }

    /** The largest memory level the language takes: sizes stay exact in a double and far from long overflow. */
    static final long MAX_MEMORY_BYTES = 1L << 50;

    private AcceleratorLowering() {
    }

    public static Result lower(Accelerator a) {
        Problems problems = new Problems();
        MacSpec mac = null;
        ClockSpec clock = null;
        PeArea peArea = null;
        org.edgenn.dsl.edgeNN.SparseSpec sparse = null;
        List<org.edgenn.ir.accel.ArrayAxis> axes = new ArrayList<>();
        List<org.edgenn.ir.accel.MemoryLevel> memories = new ArrayList<>();
        List<MemoryLevel> memoryAsts = new ArrayList<>();
        for (AcceleratorMember m : a.getMembers()) {
            if (m instanceof MacSpec s) {
                if (mac != null) {
                    problems.error(s, null, IssueCodes.DUPLICATE_SPEC, "mac is declared twice");
                }
                mac = s;
            } else if (m instanceof ClockSpec c) {
                if (clock != null) {
                    problems.error(c, null, IssueCodes.DUPLICATE_SPEC, "clock is declared twice");
                }
                clock = c;
            } else if (m instanceof ArrayAxis ax) {
                var axis = axis(ax, problems);
                if (axis != null) {
                    axes.add(axis);
                }
            } else if (m instanceof MemoryLevel ml) {
                memoryAsts.add(ml);
            } else if (m instanceof PeArea pa) {
                if (peArea != null) {
                    problems.error(pa, null, IssueCodes.DUPLICATE_SPEC, "the area per PE is declared twice");
                }
                peArea = pa;
            } else if (m instanceof org.edgenn.dsl.edgeNN.SparseSpec sp) {
                if (sparse != null) {
                    problems.error(sp, null, IssueCodes.DUPLICATE_SPEC, "sparse support is declared twice");
                }
                sparse = sp;
            }
        }
        if (mac == null) {
            problems.error(a, ACCELERATOR__NAME, IssueCodes.MISSING_MAC, "accelerator " + a.getName()
                    + " needs its MAC precision: mac int8 accumulator int32");
        }
        if (clock == null) {
            problems.error(a, ACCELERATOR__NAME, IssueCodes.MISSING_CLOCK, "accelerator " + a.getName()
                    + " needs a clock: clock 400 MHz");
        }
        if (a.getMembers().stream().noneMatch(ArrayAxis.class::isInstance)) {
            problems.error(a, ACCELERATOR__NAME, IssueCodes.BAD_ARRAY, "the PE array needs at least one axis: axis rows 16 unrolls K");
        }
        long pes = 1;
        for (AcceleratorMember m : a.getMembers()) {
            if (m instanceof ArrayAxis ax && ax.getSize() >= 1) {
                pes *= ax.getSize();
                if (pes > Integer.MAX_VALUE) {
                    // AcceleratorSpec.peCount() is an int: past it the mapper computed with an overflowed count
                    // (infinite latency, NaN utilization) instead of refusing
                    problems.error(ax, ARRAY_AXIS__SIZE, IssueCodes.BAD_ARRAY, "the PE array has more than "
                            + Integer.MAX_VALUE + " PEs with this axis");
                    break;
                }
            }
        }
        Set<String> axisNames = new java.util.HashSet<>();
        for (AcceleratorMember m : a.getMembers()) {
            if (m instanceof ArrayAxis ax && !axisNames.add(ax.getName())) {
                problems.error(ax, ARRAY_AXIS__NAME, IssueCodes.BAD_ARRAY, "axis " + ax.getName() + " is declared twice");
            }
        }
        if (memoryAsts.isEmpty()) {
            problems.error(a, ACCELERATOR__NAME, IssueCodes.BAD_MEMORY, "accelerator " + a.getName()
                    + " needs memory levels, innermost first, ending with the backing store (dram)");
        }
        for (int i = 0; i < memoryAsts.size(); i++) {
            var level = memory(memoryAsts.get(i), i == memoryAsts.size() - 1, axisNames, problems);
            if (level != null) {
                memories.add(level);
            }
        }
        int macBits = mac == null ? 8 : macWidth(mac, false, problems);
        int accBits = mac == null || !(Written.isWritten(mac, MAC_SPEC__ACCUMULATOR) || mac.getAccumulatorWidth() != null)
                ? 32 : macWidth(mac, true, problems);
        if (mac != null && macBits > 0 && accBits > 0 && accBits < 2 * macBits) {
            problems.error(mac, mac.getAccumulatorWidth() != null ? MAC_SPEC__ACCUMULATOR_WIDTH : MAC_SPEC__ACCUMULATOR,
                    IssueCodes.BAD_PRECISION, "an accumulator of " + accBits
                    + " bits cannot hold one product of two " + macBits + "-bit operands");
        }
        boolean wraps = false;
        if (mac != null && mac.getOverflow() != null) {
            if (mac.getOverflow().equals("wrap")) {
                wraps = true;
            } else if (!mac.getOverflow().equals("saturate")) {
                problems.error(mac, MAC_SPEC__OVERFLOW, IssueCodes.BAD_PRECISION, "'" + mac.getOverflow()
                        + "' is no overflow behaviour: an accumulator saturates (the default) or wraps: accumulator int24 wrap");
            }
        }
        checkRegisters(memoryAsts, memories, accBits, problems);
        double macPj = Double.NaN;
        if (mac != null && mac.getEnergy() != null) {
            Double joules = Quantities.convert(mac.getEnergy(), Units.ENERGY, "MAC energy", problems);
            if (joules != null && joules < 0) {
                problems.error(mac.getEnergy(), null, IssueCodes.BAD_PRECISION, "a MAC's energy cannot be negative");
            } else if (joules != null) {
                macPj = joules * 1e12;
            }
        }
        Double hz = clock == null || clock.getFrequency() == null ? null
                : Quantities.convert(clock.getFrequency(), Units.FREQUENCY, "clock", problems);
        if (hz != null && !(hz > 0 && Double.isFinite(hz))) {
            problems.error(clock.getFrequency(), null, IssueCodes.BAD_MEMORY, "the clock must be a positive frequency");
        }
        AreaModel area = area(peArea, memoryAsts, problems);
        SparseSupport sparseSupport = sparse == null ? SparseSupport.NONE : SparseLowering.lower(sparse, problems);
        if (problems.hasErrors()) {
            return new Result(null, problems);
        }
        return new Result(new AcceleratorSpec(a.getName(), macBits, accBits, hz, axes, memories, macPj, area,
                sparseSupport, wraps), problems);
    }

    /**
     * The area model, when declared: the PE's area and the area per byte of every on-chip level (all of them, so
     * that no memory is free); the backing store is off chip and declares none.
     */
    private static AreaModel area(PeArea peArea, List<MemoryLevel> memories, Problems problems) {
        boolean anyMemoryArea = memories.stream().anyMatch(m -> m.getArea() != null);
        if (peArea == null && !anyMemoryArea) {
            return null;
        }
        java.util.Map<String, Double> perByte = new java.util.LinkedHashMap<>();
        for (int i = 0; i < memories.size(); i++) {
            MemoryLevel m = memories.get(i);
            boolean last = i == memories.size() - 1;
            if (last && m.getArea() != null) {
                problems.error(m.getArea(), null, IssueCodes.BAD_AREA, "the backing store (" + m.getName()
                        + ") is off chip and has no area");
            } else if (!last && m.getArea() == null) {
                problems.error(m, MEMORY_LEVEL__NAME, IssueCodes.BAD_AREA, "memory " + m.getName()
                        + " needs its area, as every on-chip level of an accelerator with an area does: area 0.0042 mm2/KiB");
            } else if (!last) {
                Double um2 = Quantities.convert(m.getArea(), Units.AREA_PER_BYTE, "area per byte", problems);
                if (um2 != null && um2 <= 0) {
                    problems.error(m.getArea(), null, IssueCodes.BAD_AREA, "an area is positive");
                }
                perByte.put(m.getName(), um2 == null ? 0 : um2);
            }
        }
        if (peArea == null) {
            problems.error(memories.get(0), MEMORY_LEVEL__NAME, IssueCodes.BAD_AREA,
                    "an accelerator whose memories have an area needs the area of one PE too: area per pe 419 um2");
            return null;
        }
        Double mm2 = peArea.getArea() == null ? null : Quantities.convert(peArea.getArea(), Units.AREA, "area per PE", problems);
        if (mm2 == null) {
            return null;
        }
        if (mm2 <= 0) {
            problems.error(peArea.getArea(), null, IssueCodes.BAD_AREA, "an area is positive");
        }
        return new AreaModel(mm2 * 1e6, perByte);
    }

    /** Widest MAC operand and accumulator the cost model and the hardware model take. */
    static final int MAX_WIDTH_BITS = 32;

    /**
     * The MAC operand ({@code accumulator} false) or accumulator width: a language width ({@code int8}) or any
     * {@code intN} with 1 <= N <= 32 (ZigZag's 12- and 24-bit precisions); 0 after an error.
     */
    private static int macWidth(MacSpec mac, boolean accumulator, Problems problems) {
        Precision p = accumulator ? mac.getAccumulator() : mac.getPrecision();
        String written = accumulator ? mac.getAccumulatorWidth() : mac.getWidth();
        org.eclipse.emf.ecore.EStructuralFeature f = accumulator
                ? (written != null ? MAC_SPEC__ACCUMULATOR_WIDTH : MAC_SPEC__ACCUMULATOR)
                : (written != null ? MAC_SPEC__WIDTH : MAC_SPEC__PRECISION);
        String what = accumulator ? "an accumulator" : "a MAC operand";
        if (written == null) {
            ElementType t = ElementType.valueOf(p.getName());
            if (!t.isInteger()) {
                problems.error(mac, f, IssueCodes.BAD_PRECISION, "MACs and accumulators are integer: int4, int8, int12, "
                        + "int16, int24, int32");
                return 0;
            }
            return t.bits();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("int([0-9]{1,9})").matcher(written);
        if (!m.matches()) {
            problems.error(mac, f, IssueCodes.BAD_PRECISION, "'" + written + "' is no width: " + what
                    + " is intN, N bits (int8, int12, int24)");
            return 0;
        }
        int bits = Integer.parseInt(m.group(1));
        int least = accumulator ? 2 : 1;
        if (bits < least || bits > MAX_WIDTH_BITS) {
            problems.error(mac, f, IssueCodes.BAD_PRECISION, what + " of " + bits + " bits cannot work: widths go from "
                    + least + " to " + MAX_WIDTH_BITS + " bits");
            return 0;
        }
        return bits;
    }

    /**
     * A memory holding partial sums (O) must hold one of them: a register smaller than the accumulator width could
     * never take the sum a MAC produces (weights and activations have the network's widths: checked where a network
     * meets the accelerator). Positioned at the size.
     */
    private static void checkRegisters(List<MemoryLevel> asts, List<org.edgenn.ir.accel.MemoryLevel> levels, int accBits,
                                       Problems problems) {
        if (accBits <= 0 || asts.size() != levels.size()) {
            return;
        }
        for (int i = 0; i < levels.size(); i++) {
            org.edgenn.ir.accel.MemoryLevel l = levels.get(i);
            if (!l.isUnbounded() && l.holds().contains(Operand.O) && l.sizeBytes() * 8 < accBits) {
                problems.error(asts.get(i).getSize(), null, IssueCodes.BAD_MEMORY, "memory " + l.name() + " ("
                        + l.sizeText() + ") holds O but cannot hold one " + accBits + "-bit partial sum");
            }
        }
    }

    private static org.edgenn.ir.accel.ArrayAxis axis(ArrayAxis ax, Problems problems) {
        if (ax.getSize() < 1) {
            problems.error(ax, ARRAY_AXIS__SIZE, IssueCodes.BAD_ARRAY, "an array axis has at least one PE");
            return null;
        }
        Set<LoopDim> dims = EnumSet.noneOf(LoopDim.class);
        for (int i = 0; i < ax.getDims().size(); i++) {
            LoopDim d = LoopDim.parse(ax.getDims().get(i));
            if (d == null) {
                problems.error(ax, ARRAY_AXIS__DIMS, i, IssueCodes.UNKNOWN_LOOP_DIM, "unknown loop dimension '"
                        + ax.getDims().get(i) + "'; expected one of N, G, K, C, OY, OX, FY, FX");
                return null;
            }
            dims.add(d);
        }
        return new org.edgenn.ir.accel.ArrayAxis(ax.getName(), ax.getSize(), dims);
    }

    private static org.edgenn.ir.accel.MemoryLevel memory(MemoryLevel m, boolean last, Set<String> axisNames,
                                                          Problems problems) {
        Set<Operand> holds = EnumSet.noneOf(Operand.class);
        for (int i = 0; i < m.getOperands().size(); i++) {
            Operand o = Operand.parse(m.getOperands().get(i));
            if (o == null) {
                problems.error(m, MEMORY_LEVEL__OPERANDS, i, IssueCodes.UNKNOWN_OPERAND, "unknown operand '"
                        + m.getOperands().get(i) + "'; expected W (weights), I (inputs) or O (outputs)");
                return null;
            }
            holds.add(o);
        }
        if (holds.isEmpty()) {
            if (!last) {
                problems.error(m, MEMORY_LEVEL__NAME, IssueCodes.BAD_MEMORY, "memory " + m.getName()
                        + " must say which operands it holds: holds W, I, O");
                return null;
            }
            holds = EnumSet.allOf(Operand.class);
        }
        if (last && holds.size() < 3) {
            problems.error(m, MEMORY_LEVEL__OPERANDS, IssueCodes.BAD_MEMORY, "the last memory level is the backing store "
                    + "and holds every operand (W, I, O)");
            return null;
        }
        double size = org.edgenn.ir.accel.MemoryLevel.UNBOUNDED;
        if (m.getSize() != null) {
            Double bytes = Quantities.convert(m.getSize(), Units.BYTES, "a memory size", problems);
            if (bytes == null) {
                return null;
            }
            // sizes are whole numbers of bits (ZigZag sizes memories in bits: a 4-bit weight register is size 4 bit);
            // a fraction of a bit was silently dropped before, and a size past 2^63 became "unbounded" (the cast
            // saturates at Long.MAX_VALUE, the backing store's marker), failing only later in the mapper
            if (bytes * 8 < 1) {
                problems.error(m.getSize(), null, IssueCodes.BAD_MEMORY, "a memory holds at least one bit");
                return null;
            }
            if (bytes * 8 != Math.rint(bytes * 8)) {
                problems.error(m.getSize(), null, IssueCodes.BAD_MEMORY, "a memory size is a whole number of bits ("
                        + Quantities.written(m.getSize()) + " is " + bytes * 8 + " bits)");
                return null;
            }
            if (bytes > MAX_MEMORY_BYTES) {
                problems.error(m.getSize(), null, IssueCodes.BAD_MEMORY, "a memory size is at most 1 PiB ("
                        + MAX_MEMORY_BYTES + " B); the backing store needs no size");
                return null;
            }
            size = bytes;
        } else if (!last) {
            problems.error(m, MEMORY_LEVEL__NAME, IssueCodes.BAD_MEMORY, "memory " + m.getName()
                    + " needs a size; only the last level (the backing store) may be unbounded");
            return null;
        }
        if (m.isPerPe() && last) {
            problems.error(m, MEMORY_LEVEL__PER_PE, IssueCodes.BAD_MEMORY, "the backing store cannot be per PE");
            return null;
        }
        for (int i = 0; i < m.getSharedAlong().size(); i++) {
            if (!axisNames.contains(m.getSharedAlong().get(i))) {
                problems.error(m, MEMORY_LEVEL__SHARED_ALONG, i, IssueCodes.BAD_MEMORY, "'" + m.getSharedAlong().get(i)
                        + "' is no axis of this accelerator's PE array");
                return null;
            }
        }
        Double bandwidth = bandwidth(m.getBandwidth(), Double.POSITIVE_INFINITY, problems);
        Double writeBandwidth = bandwidth(m.getWriteBandwidth(), Double.NaN, problems);
        if (bandwidth == null || writeBandwidth == null) {
            return null;
        }
        if (m.getWriteBandwidth() != null && m.getBandwidth() == null) {
            problems.error(m, MEMORY_LEVEL__WRITE_BANDWIDTH, IssueCodes.BAD_MEMORY, "memory " + m.getName()
                    + " has a write bandwidth but no (read) bandwidth: bandwidth 64 B/cycle write bandwidth 32 B/cycle");
            return null;
        }
        if (m.getReadEnergy() == null) {
            problems.error(m, MEMORY_LEVEL__NAME, IssueCodes.BAD_MEMORY, "memory " + m.getName()
                    + " needs its read energy: read 1.5 pJ/B");
            return null;
        }
        Double read = Quantities.convert(m.getReadEnergy(), Units.ENERGY_PER_BYTE, "read energy", problems);
        Double write = m.getWriteEnergy() == null ? read
                : Quantities.convert(m.getWriteEnergy(), Units.ENERGY_PER_BYTE, "write energy", problems);
        if (read == null || write == null) {
            return null;
        }
        int wordBits = 0;
        if (m.getWord() != null) {
            Double wordBytes = Quantities.convert(m.getWord(), Units.BYTES, "a word width", problems);
            if (wordBytes == null) {
                return null;
            }
            double bits = wordBytes * 8;
            if (!(bits >= 1) || bits != Math.rint(bits) || bits > 1 << 20) {
                problems.error(m.getWord(), null, IssueCodes.BAD_MEMORY, "a word is a whole number of bits, at least 1"
                        + " (word 3 B, word 12 bit)");
                return null;
            }
            wordBits = (int) bits;
        }
        // the IR keeps picojoules per byte, the unit hardware papers quote
        return new org.edgenn.ir.accel.MemoryLevel(m.getName(), size, m.isPerPe(), bandwidth, holds, read * 1e12,
                write * 1e12, Set.copyOf(m.getSharedAlong()), writeBandwidth, wordBits);
    }

    /** Bytes per cycle of a declared bandwidth, {@code absent} when none is declared; null after an error. */
    private static Double bandwidth(org.edgenn.dsl.edgeNN.Quantity q, double absent, Problems problems) {
        if (q == null) {
            return absent;
        }
        Double bw = Quantities.convert(q, Units.BANDWIDTH, "bandwidth", problems);
        if (bw != null && bw <= 0) {
            problems.error(q, null, IssueCodes.BAD_MEMORY, "bandwidth must be positive");
            return null;
        }
        return bw;
    }
}
