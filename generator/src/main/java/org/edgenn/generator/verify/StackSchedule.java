package org.edgenn.generator.verify;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.mapping.depthfirst.StackShape;
import org.edgenn.generator.mapping.schedule.FusedStack;
import org.edgenn.generator.mapping.schedule.NetworkSchedule;
import org.edgenn.ir.accel.Operand;

/**
 * What executing a schedule's depth-first stacks needs of it: the stacks, where the schedule keeps tensors on chip
 * ({@code residentLevel}: tensor to memory index; fused ops read outside tensors from there) and each pass's operands
 * the schedule keeps resident ({@code passResident}, by pass name). Taken from the search's {@link NetworkMapping}
 * ({@code edgenn build}) or read back from a mapping table ({@link TableStacks}, {@code edgenn verify --mapping}): the
 * same execution and comparison either way.
 */
public record StackSchedule(List<FusedStack> stacks, Map<String, Integer> residentLevel,
                            Map<String, Set<Operand>> passResident) {
    public StackSchedule {
        stacks = List.copyOf(stacks);
        residentLevel = Map.copyOf(residentLevel);
        passResident = Map.copyOf(passResident);
    }

    /** The stacks of a searched network schedule (none for a layer-by-layer mapping). */
    public static StackSchedule of(NetworkMapping nm) {
        NetworkSchedule s = nm.schedule();
        if (s == null) {
            return new StackSchedule(List.of(), Map.of(), Map.of());
        }
        Map<String, Integer> level = new HashMap<>();
        for (NetworkSchedule.Resident r : s.residents()) {
            level.put(r.tensor(), r.level());
        }
        Map<String, Set<Operand>> resident = new HashMap<>();
        for (int i = 0; i < s.passes().size(); i++) {
            resident.put(nm.layers().get(i).workload().name(), s.passes().get(i).resident());
        }
        return new StackSchedule(s.stacks(), level, resident);
    }

    /** The stacks by pass: each stacked pass's name to its stack's. */
    public Map<String, String> stacked() {
        Map<String, String> m = new LinkedHashMap<>();
        for (FusedStack f : stacks) {
            f.layers().forEach(l -> m.put(l, f.name()));
        }
        return m;
    }

    /**
     * Per stack position, the operands the schedule keeps resident that the stack keeps (as {@code StackCost} does):
     * the weights, the first pass's input, the last pass's output.
     */
    public List<Set<Operand>> outside(StackShape s) {
        List<Set<Operand>> out = new ArrayList<>();
        for (int p = 0; p < s.size(); p++) {
            Set<Operand> plan = passResident.getOrDefault(s.passes().get(p).group().name(), Set.of());
            Set<Operand> r = EnumSet.noneOf(Operand.class);
            if (plan.contains(Operand.W)) {
                r.add(Operand.W);
            }
            if (p == 0 && plan.contains(Operand.I)) {
                r.add(Operand.I);
            }
            if (p == s.size() - 1 && plan.contains(Operand.O)) {
                r.add(Operand.O);
            }
            out.add(r);
        }
        return out;
    }
}
