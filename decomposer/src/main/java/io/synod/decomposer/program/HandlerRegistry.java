// The handlers a program may name, by name.
package io.synod.decomposer.program;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps handler names ({@code kg}, {@code lm}, {@code count}, ...) to handlers. Immutable and
 * thread-safe once built.
 * <pre>
 * HandlerRegistry registry = SymbolicHandlers.addTo(HandlerRegistry.builder())
 *         .add("kg", knowledgeSolver)
 *         .build();
 * </pre>
 */
public final class HandlerRegistry {

    private final Map<String, Handler> handlers;

    private HandlerRegistry(Map<String, Handler> handlers) {
        this.handlers = Map.copyOf(handlers);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The handler named {@code name}, if there is one. */
    public Optional<Handler> find(String name) {
        return Optional.ofNullable(handlers.get(name));
    }

    /** The registered names, sorted. */
    public Set<String> names() {
        return new TreeSet<>(handlers.keySet());
    }

    /** The message for a step naming a handler that is not registered. */
    String unknown(String name) {
        return "no handler named [" + name + "]; known handlers are "
                + (handlers.isEmpty() ? "none" : String.join(", ", names()));
    }

    /** Collects handlers; a name may be added once. */
    public static final class Builder {
        private final Map<String, Handler> handlers = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Registers {@code handler} under {@code name}.
         *
         * @throws IllegalArgumentException when {@code name} is taken or is not a handler name
         */
        public Builder add(String name, Handler handler) {
            Objects.requireNonNull(handler, "handler");
            if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_.-]*") || name.equals("EOQ")) {
                throw new IllegalArgumentException("not a handler name: \"" + name
                        + "\" (expected a letter, then letters, digits, '_', '-' or '.'; EOQ is reserved)");
            }
            if (handlers.putIfAbsent(name, handler) != null) {
                throw new IllegalArgumentException("a handler named [" + name + "] is already registered");
            }
            return this;
        }

        public HandlerRegistry build() {
            return new HandlerRegistry(handlers);
        }
    }
}
