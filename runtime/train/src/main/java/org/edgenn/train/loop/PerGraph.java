package org.edgenn.train.loop;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A map from graph objects to state, keyed by IDENTITY and holding graphs weakly. (SameDiff overrides
 * {@code equals/hashCode} with values that change as the graph grows, so a plain {@code WeakHashMap} loses entries.)
 */
public final class PerGraph<K, V> {
    private final Map<Key<K>, V> map = new HashMap<>();
    private final ReferenceQueue<K> queue = new ReferenceQueue<>();

    private static final class Key<K> extends WeakReference<K> {
        final int hash;
        Key(K k, ReferenceQueue<K> q) { super(k, q); hash = System.identityHashCode(k); }
        @Override public int hashCode() { return hash; }
        @Override public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof Key<?> other)) return false;
            Object a = get();
            return a != null && a == other.get();
        }
    }

    private void purge() {
        for (Object r; (r = queue.poll()) != null; ) map.remove(r);
    }

    public synchronized V get(K k) {
        purge();
        return map.get(new Key<>(k, null));
    }

    public synchronized V computeIfAbsent(K k, Supplier<V> init) {
        purge();
        Key<K> probe = new Key<>(k, null);
        V v = map.get(probe);
        if (v == null) {
            v = init.get();
            map.put(new Key<>(k, queue), v);
        }
        return v;
    }
}
