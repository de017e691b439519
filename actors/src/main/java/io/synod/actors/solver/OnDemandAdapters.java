// The adapters a solver loads from the shared catalogue when a job names one it does not hold, least recently used first out.
package io.synod.actors.solver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * On-demand adapter loading for one solver (in a cluster, where the front routes a job to a node that may not hold
 * its adapters). A job's missing adapters are loaded from the catalogue ({@code synod.adapters.directory}, the same
 * path on every node); at most {@code limit} adapters loaded this way stay resident, the least recently used being
 * unloaded first (never one the current job names, never those resident from the start or loaded by an
 * administrator). Not thread-safe: one solver actor uses it, from its own thread; a restart keeps it, as it keeps
 * the model.
 */
public final class OnDemandAdapters {

    private final Supplier<Path> catalogue;
    private final int limit;
    /** Loaded on demand, least recently used first. */
    private final LinkedHashSet<String> loaded = new LinkedHashSet<>();

    /**
     * @param catalogue the catalogue directory (one sub-directory per adapter)
     * @param limit     adapters loaded on demand that may stay resident at once; 0 turns loading on demand off
     */
    public OnDemandAdapters(Supplier<Path> catalogue, int limit) {
        this.catalogue = catalogue;
        this.limit = limit;
    }

    /** Jobs naming adapters the model lacks are refused, as on a single machine. */
    public static OnDemandAdapters off() {
        return new OnDemandAdapters(() -> Path.of(""), 0);
    }

    public boolean enabled() {
        return limit > 0;
    }

    /**
     * Loads {@code missing} from the catalogue, first unloading the least recently used adapters loaded on
     * demand that {@code needed} does not name, to stay within the limit.
     *
     * @return how many adapters were loaded
     * @throws IllegalArgumentException naming an adapter the catalogue does not have
     * @throws RuntimeException         when loading fails (the adapter is then not resident)
     */
    int load(Solver solver, List<String> missing, Collection<String> needed) {
        Path directory = catalogue.get();
        for (String name : missing) {
            if (!Files.isDirectory(directory.resolve(name))) {
                throw new IllegalArgumentException("the catalogue " + directory + " has no adapter '" + name + "'");
            }
        }
        int count = 0;
        for (String name : missing) {
            Iterator<String> oldest = loaded.iterator();
            while (loaded.size() >= limit && oldest.hasNext()) {
                String candidate = oldest.next();
                if (!needed.contains(candidate)) {
                    oldest.remove();
                    solver.unloadAdapter(candidate);
                }
            }
            solver.loadAdapter(name, directory.resolve(name));
            loaded.add(name);
            count++;
        }
        return count;
    }

    /** Marks the adapters of a job as just used. */
    void used(Collection<String> names) {
        for (String name : names) {
            if (loaded.remove(name)) {
                loaded.add(name);
            }
        }
    }
}
