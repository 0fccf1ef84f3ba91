package dev.natrecon;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Calls every public no-argument accessor of a parse result, and of the project's objects those return, a few levels
 * deep: lazily parsed fields (a Via's parameters, an SDP media line's ports) are parsed only when asked for, so a
 * fuzz target must ask. An exception thrown by an accessor is rethrown as it was, for the target's contract to judge.
 */
public final class Touch {
    /** How deep into returned objects to go; results of results of results cover every lazy field we have. */
    private static final int DEPTH = 3;
    /** Methods that only render or compare, or return something unrelated to parsing. */
    private static final java.util.Set<String> SKIP = java.util.Set.of("hashCode", "getClass", "notify", "notifyAll",
            "wait", "clone");

    private Touch() {
    }

    /** Touches {@code o} and what it returns, {@link #DEPTH} levels deep. */
    public static void all(Object o) {
        walk(o, DEPTH, new IdentityHashMap<>());
    }

    private static void walk(Object o, int depth, Map<Object, Boolean> seen) {
        if (o == null || depth < 0 || seen.put(o, Boolean.TRUE) != null) return;
        if (o instanceof Optional<?> opt) {
            opt.ifPresent(v -> walk(v, depth, seen));
            return;
        }
        if (o instanceof Collection<?> c) {
            int n = 0;
            for (Object v : c) if (n++ < 64) walk(v, depth, seen);
            return;
        }
        if (o instanceof Map<?, ?> m) {
            walk(m.values(), depth, seen);
            return;
        }
        Class<?> type = o.getClass();
        if (!type.getName().startsWith("dev.natrecon.")) return;
        for (Method method : type.getMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
                    || SKIP.contains(method.getName()) || method.getReturnType() == void.class) {
                continue;
            }
            Object result;
            try {
                method.setAccessible(true);
                result = method.invoke(o);
            } catch (IllegalAccessException | RuntimeException e) {
                continue; // a public method of a non-public class or record: nothing the fuzzer can reach
            } catch (InvocationTargetException e) {
                throw sneaky(e.getCause());
            }
            walk(result, depth - 1, seen);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
