package dev.natrecon.correlate;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * {@link BindingTable#bindings()}: the held lifetimes and the {@link RetiredBindings retired} ones as one list in id
 * order, read-only. A retired lifetime is read back as a new object on each {@link #get}.
 */
final class BindingList extends AbstractList<Binding> implements RandomAccess {
    private final List<Binding> held;
    private final RetiredBindings retired;

    BindingList(List<Binding> held, RetiredBindings retired) {
        this.held = held;
        this.retired = retired;
    }

    @Override
    public Binding get(int index) {
        Binding b = held.get(index);
        return b != null ? b : retired.get(index + 1);
    }

    @Override
    public int size() {
        return held.size();
    }
}
