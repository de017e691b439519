// Keeps LoRA adapters resident up to a byte budget: loads them from a catalogue on demand, evicts the least recently used.
package io.synod.adapters.store;

import io.synod.adapters.lora.AdapterException;
import io.synod.adapters.lora.LoraAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapters a solver can apply, and the few it keeps resident.
 *
 * <p><b>Catalogue.</b> Every sub-directory of the catalogue directory that holds
 * {@value LoraAdapter#CONFIG_FILE} is an adapter named by the sub-directory (hidden directories, whose names
 * start with a dot, are skipped), plus the adapters {@link #register registered} in memory, which shadow a
 * directory of the same name. The directory is listed afresh on each look-up, so adapters written into it
 * while the store runs are found.
 *
 * <p><b>Loading.</b> A load reads the adapter ({@link LoraAdapter#read}), runs the validator (typically
 * {@code adapter -> adapter.validate(base, maxRank)}), makes room for it, then turns it into its resident
 * form with {@code materialise} (for example device arrays). Residency is measured by
 * {@link LoraAdapter#byteSize()} and kept within the byte budget by evicting the least recently used
 * adapters that are neither pinned nor leased, before materialising; the store calls {@code close()} on a
 * resident form when it evicts or unloads it. If the budget cannot be met without touching pinned or
 * leased adapters, the load fails and nothing is evicted. A load that fails (unknown files, a refused or
 * invalid adapter, a failing {@code materialise}) counts as a failure and leaves the other resident
 * adapters as they were (an adapter that fails in {@code materialise} may have caused evictions first).
 *
 * <p><b>Using a resident form.</b> {@link #acquire} returns it and marks it most recently used, but does
 * not stop a later load from evicting and closing it: use it only where no other thread can load
 * meanwhile, or {@link #pin} the adapter. {@link #lease} returns a {@link Lease} that keeps it resident
 * (and unclosed, even if unloaded) until the lease is closed; use it when several threads share the store.
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread. One monitor guards the store's state
 * (residents, pins, leases, counters); it is held only for bookkeeping, never while reading files,
 * validating, materialising or closing, so a slow load never blocks a hit on another adapter. Concurrent
 * requests for the same adapter share one load: the first caller loads, the others wait for it and then
 * count as hits (or all see its failure, which counts once). {@code validator} and {@code materialise}
 * may therefore run on several threads at once for different adapters. {@link #unload}, {@link #register}
 * and {@link #close} cancel a load of that name in progress: its result is closed and discarded.
 *
 * @param <R> the resident form of an adapter
 */
public final class AdapterStore<R extends AutoCloseable> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdapterStore.class);

    /** How many catalogue names an unknown-adapter message lists. */
    private static final int NAMES_LISTED = 10;

    /**
     * What the store has done since it was created.
     *
     * @param loads adapters made resident (from the catalogue or by {@link #register})
     * @param hits requests answered by an adapter already resident, or being loaded by another caller
     * @param evictions adapters evicted to stay within the budget ({@link #unload} does not count)
     * @param failures loads that failed
     */
    public record Counters(long loads, long hits, long evictions, long failures) {
    }

    /**
     * A resident adapter held for use: it is neither evicted nor closed until the lease is closed. Close it
     * on the thread of your choice, once; later closes do nothing.
     */
    public static final class Lease<R extends AutoCloseable> implements AutoCloseable {

        private final AdapterStore<R> store;
        private final Entry<R> entry;
        private boolean released;

        private Lease(AdapterStore<R> store, Entry<R> entry) {
            this.store = store;
            this.entry = entry;
        }

        /** The adapter's name. */
        public String name() {
            return entry.name;
        }

        /** The resident form; valid until this lease is closed. */
        public R adapter() {
            return entry.value;
        }

        @Override
        public void close() {
            store.release(this);
        }
    }

    /** A resident form and its bookkeeping; fields other than the finals are guarded by the store's lock. */
    private static final class Entry<R> {
        final String name;
        final R value;
        final long bytes;
        int leases;
        /** No longer resident; closed when the last lease ends. */
        boolean retired;

        Entry(String name, R value, long bytes) {
            this.name = name;
            this.value = value;
            this.bytes = bytes;
        }
    }

    private final Path catalogue;
    private final long byteBudget;
    private final Consumer<LoraAdapter> validator;
    private final Function<LoraAdapter, R> materialise;

    private final Object lock = new Object();
    /** In access order: least recently used first. Guarded by lock, as are all fields below. */
    private final LinkedHashMap<String, Entry<R>> resident = new LinkedHashMap<>(16, 0.75f, true);
    /** The load in progress for each name; a load whose future is no longer here was cancelled. */
    private final Map<String, CompletableFuture<Void>> loading = new HashMap<>();
    private final Set<String> pinned = new HashSet<>();
    private final Map<String, LoraAdapter> registered = new HashMap<>();
    private long residentBytes;
    /** Bytes set aside for loads between making room and becoming resident. */
    private long reservedBytes;
    private long loads;
    private long hits;
    private long evictions;
    private long failures;
    private boolean closed;

    /**
     * @param catalogue the directory whose sub-directories are adapters
     * @param byteBudget the most bytes ({@link LoraAdapter#byteSize()}) resident at once
     * @param validator runs on each adapter read from the catalogue or registered, before it is
     *     materialised; throws (an {@link AdapterException}, ideally) to refuse it
     * @param materialise turns a validated adapter into its resident form; must not return null
     * @throws AdapterException if the catalogue is not a directory
     * @throws IllegalArgumentException if the budget is not positive
     */
    public AdapterStore(Path catalogue, long byteBudget, Consumer<LoraAdapter> validator,
            Function<LoraAdapter, R> materialise) {
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.materialise = Objects.requireNonNull(materialise, "materialise");
        if (byteBudget <= 0) {
            throw new IllegalArgumentException("the byte budget must be positive, got " + byteBudget);
        }
        if (!Files.isDirectory(catalogue)) {
            throw new AdapterException("adapter catalogue " + catalogue + ": not a directory; expected a directory"
                    + " with one sub-directory per adapter");
        }
        this.byteBudget = byteBudget;
    }

    /** Every adapter's name, from the directory and registered, sorted. */
    public List<String> catalogue() {
        Set<String> names = new TreeSet<>(listDirectory());
        synchronized (lock) {
            names.addAll(registered.keySet());
        }
        return List.copyOf(names);
    }

    /**
     * The adapter's resident form, loading it first if it is not resident (a load) or returning it (a hit),
     * and marking it most recently used. See the class comment on eviction: prefer {@link #lease} when other
     * threads may load meanwhile.
     *
     * @throws UnknownAdapterException if the catalogue has no such adapter
     * @throws AdapterException naming the adapter, if it cannot be loaded
     * @throws IllegalStateException if the store is closed
     */
    public R acquire(String name) {
        return obtain(name, false, true).value;
    }

    /**
     * As {@link #acquire}, but the adapter stays resident and unclosed until the lease is closed.
     *
     * @throws UnknownAdapterException if the catalogue has no such adapter
     * @throws AdapterException naming the adapter, if it cannot be loaded
     * @throws IllegalStateException if the store is closed
     */
    public Lease<R> lease(String name) {
        return new Lease<>(this, obtain(name, true, true));
    }

    /**
     * Makes the adapter resident if it is not (a load), or marks it most recently used (not counted).
     *
     * @throws UnknownAdapterException if the catalogue has no such adapter
     * @throws AdapterException naming the adapter, if it cannot be loaded
     * @throws IllegalStateException if the store is closed
     */
    public void load(String name) {
        obtain(name, false, false);
    }

    /**
     * Removes the adapter from residency and closes its resident form (once its leases end, if it has
     * any). Also drops its pin, and cancels a load of it in progress. Registered adapters stay in the
     * catalogue.
     *
     * @return whether it was resident
     */
    public boolean unload(String name) {
        Entry<R> toClose = null;
        boolean wasResident;
        synchronized (lock) {
            pinned.remove(name);
            loading.remove(name);
            Entry<R> entry = resident.remove(name);
            wasResident = entry != null;
            if (wasResident) {
                residentBytes -= entry.bytes;
                entry.retired = true;
                if (entry.leases == 0) {
                    toClose = entry;
                }
            }
        }
        if (toClose != null) {
            closeQuietly(toClose);
        }
        return wasResident;
    }

    /**
     * Pins the adapter, loading it if needed: a pinned adapter is never evicted (only {@link #unload}
     * removes it). If the load fails, the adapter is left unpinned as it was.
     *
     * @throws UnknownAdapterException if the catalogue has no such adapter
     * @throws AdapterException naming the adapter, if it cannot be loaded
     */
    public void pin(String name) {
        boolean wasPinned;
        synchronized (lock) {
            ensureOpen();
            wasPinned = !pinned.add(name);
        }
        try {
            obtain(name, false, false);
        } catch (RuntimeException | Error e) {
            if (!wasPinned) {
                synchronized (lock) {
                    pinned.remove(name);
                }
            }
            throw e;
        }
    }

    /** Lets the adapter be evicted again. */
    public void unpin(String name) {
        synchronized (lock) {
            pinned.remove(name);
        }
    }

    /**
     * Adds an adapter made in memory (for example just trained) to the catalogue under {@code name} and
     * makes it resident (a load). It replaces an adapter of that name: a resident one is unloaded first.
     * The adapter is validated once, here; it is kept on the heap so that it can be loaded again after an
     * eviction.
     *
     * @throws IllegalArgumentException if the name is not a plain directory name
     * @throws AdapterException naming the adapter, if the validator refuses it (nothing changes then) or it
     *     cannot be made resident (it stays in the catalogue)
     */
    public void register(String name, LoraAdapter adapter) {
        Objects.requireNonNull(adapter, "adapter");
        if (!isPlainName(name)) {
            throw new IllegalArgumentException("adapter name '" + name + "': expected a plain name without '/',"
                    + " '\\' or a leading '.'");
        }
        LoraAdapter named = adapter.name().equals(name) ? adapter : LoraAdapter.of(name, adapter.config(),
                adapter.modules());
        try {
            validator.accept(named);
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                failures++;
            }
            throw failure(name, e);
        }
        Entry<R> replaced = null;
        synchronized (lock) {
            ensureOpen();
            registered.put(name, named);
            loading.remove(name);
            Entry<R> entry = resident.remove(name);
            if (entry != null) {
                residentBytes -= entry.bytes;
                entry.retired = true;
                if (entry.leases == 0) {
                    replaced = entry;
                }
            }
        }
        if (replaced != null) {
            closeQuietly(replaced);
        }
        obtain(name, false, false);
    }

    /** The names of the resident adapters, from least to most recently used. */
    public List<String> resident() {
        synchronized (lock) {
            return List.copyOf(resident.keySet());
        }
    }

    /** Bytes resident now ({@link LoraAdapter#byteSize()} of each resident adapter). */
    public long residentBytes() {
        synchronized (lock) {
            return residentBytes;
        }
    }

    /** A snapshot of the counters. */
    public Counters counters() {
        synchronized (lock) {
            return new Counters(loads, hits, evictions, failures);
        }
    }

    /**
     * Closes every resident form (leased ones when their leases end) and refuses further loads. Idempotent.
     */
    @Override
    public void close() {
        List<Entry<R>> toClose = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            loading.clear();
            for (Entry<R> entry : resident.values()) {
                entry.retired = true;
                if (entry.leases == 0) {
                    toClose.add(entry);
                }
            }
            resident.clear();
            residentBytes = 0;
        }
        toClose.forEach(this::closeQuietly);
    }

    /**
     * The resident entry, loading it if needed.
     *
     * @param lease take a lease on the entry, under the same lock that found or inserted it
     * @param countHit count a hit when it is already resident (or loaded by another caller)
     */
    private Entry<R> obtain(String name, boolean lease, boolean countHit) {
        Objects.requireNonNull(name, "name");
        while (true) {
            CompletableFuture<Void> pending;
            LoraAdapter inMemory = null;
            boolean owner = false;
            boolean known = true;
            synchronized (lock) {
                ensureOpen();
                Entry<R> entry = resident.get(name);
                if (entry != null) {
                    if (countHit) {
                        hits++;
                    }
                    if (lease) {
                        entry.leases++;
                    }
                    return entry;
                }
                pending = loading.get(name);
                if (pending == null) {
                    inMemory = registered.get(name);
                    known = inMemory != null || isInDirectory(name);
                    if (known) {
                        pending = new CompletableFuture<>();
                        loading.put(name, pending);
                        owner = true;
                    }
                }
            }
            if (!known) {
                throw unknown(name);
            }
            if (owner) {
                Entry<R> loaded = loadAsOwner(name, pending, inMemory, lease);
                if (loaded != null) {
                    return loaded;
                }
            } else {
                awaitLoad(name, pending);
            }
            // Loaded by another caller (look again: a hit), or this load was cancelled (load again).
        }
    }

    /**
     * Reads, validates, makes room for and materialises the adapter, then makes it resident.
     *
     * @return the resident entry, or null if the load was cancelled (by unload, register or close)
     */
    private Entry<R> loadAsOwner(String name, CompletableFuture<Void> pending, LoraAdapter inMemory, boolean lease) {
        R value = null;
        long reserved = 0;
        try {
            LoraAdapter adapter = inMemory;
            if (adapter == null) {
                adapter = LoraAdapter.read(name, catalogue.resolve(name));
                validator.accept(adapter);
            }
            long bytes = adapter.byteSize();
            List<Entry<R>> evicted;
            synchronized (lock) {
                if (closed || loading.get(name) != pending) {
                    return null;
                }
                evicted = makeRoom(name, bytes);
                reservedBytes += bytes;
                reserved = bytes;
            }
            evicted.forEach(this::closeQuietly);
            value = materialise.apply(adapter);
            if (value == null) {
                throw new AdapterException("adapter '" + name + "': materialise returned null; expected the resident"
                        + " form");
            }
            synchronized (lock) {
                reservedBytes -= reserved;
                reserved = 0;
                if (closed || loading.get(name) != pending) {
                    return null;
                }
                loading.remove(name);
                Entry<R> entry = new Entry<>(name, value, bytes);
                value = null;
                if (lease) {
                    entry.leases++;
                }
                resident.put(name, entry);
                residentBytes += bytes;
                loads++;
                log.info("Loaded adapter '{}' ({} bytes; {} of {} bytes resident)", name, bytes, residentBytes,
                        byteBudget);
                return entry;
            }
        } catch (RuntimeException | Error e) {
            synchronized (lock) {
                reservedBytes -= reserved;
                if (loading.get(name) == pending) {
                    loading.remove(name);
                }
                failures++;
            }
            pending.completeExceptionally(e);
            log.warn("Adapter '{}' failed to load: {}", name, e.getMessage());
            throw failure(name, e);
        } finally {
            pending.complete(null);
            if (value != null) {
                closeValue(name, value);
            }
        }
    }

    /** Waits for another caller's load; rethrows its failure. */
    private void awaitLoad(String name, CompletableFuture<Void> pending) {
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdapterException("adapter '" + name + "': interrupted while waiting for it to load", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            throw new AdapterException(cause instanceof AdapterException ? cause.getMessage()
                    : "adapter '" + name + "': could not be loaded (" + cause + ")", cause);
        }
    }

    /**
     * Evicts least recently used adapters, skipping pinned and leased ones, until {@code bytes} more fit in
     * the budget beside the resident and reserved bytes. Evicts nothing if that is impossible. Called with
     * the lock held; the caller closes what is returned, outside the lock.
     *
     * @throws AdapterException saying what holds the budget, if the adapter cannot fit
     */
    private List<Entry<R>> makeRoom(String name, long bytes) {
        if (bytes > byteBudget) {
            throw new AdapterException("adapter '" + name + "' needs " + bytes + " bytes, more than the whole budget of "
                    + byteBudget + " bytes; raise the budget or use an adapter of lower rank or fewer modules");
        }
        long excess = residentBytes + reservedBytes + bytes - byteBudget;
        if (excess <= 0) {
            return List.of();
        }
        List<Entry<R>> victims = new ArrayList<>();
        long freed = 0;
        for (Entry<R> entry : resident.values()) {
            if (freed >= excess) {
                break;
            }
            if (!pinned.contains(entry.name) && entry.leases == 0) {
                victims.add(entry);
                freed += entry.bytes;
            }
        }
        if (freed < excess) {
            throw new AdapterException(budgetMessage(name, bytes));
        }
        for (Entry<R> victim : victims) {
            resident.remove(victim.name);
            residentBytes -= victim.bytes;
            victim.retired = true;
            evictions++;
            log.info("Evicted adapter '{}' ({} bytes) to make room for '{}'", victim.name, victim.bytes, name);
        }
        return victims;
    }

    private String budgetMessage(String name, long bytes) {
        List<Entry<R>> pins = resident.values().stream().filter(entry -> pinned.contains(entry.name)).toList();
        List<Entry<R>> leased = resident.values().stream()
                .filter(entry -> !pinned.contains(entry.name) && entry.leases > 0).toList();
        StringBuilder message = new StringBuilder("adapter '").append(name).append("' needs ").append(bytes)
                .append(" bytes, but the budget of ").append(byteBudget)
                .append(" bytes cannot be met without evicting adapters that must stay: ");
        message.append("pinned ").append(describe(pins)).append(", leased ").append(describe(leased));
        if (reservedBytes > 0) {
            message.append(", and ").append(reservedBytes).append(" bytes reserved by loads in progress");
        }
        return message.append("; unpin or release an adapter, or raise the budget").toString();
    }

    private static String describe(List<? extends Entry<?>> entries) {
        if (entries.isEmpty()) {
            return "none";
        }
        long total = entries.stream().mapToLong(entry -> entry.bytes).sum();
        return entries.stream().map(entry -> entry.name + " (" + entry.bytes + " bytes)")
                .collect(Collectors.joining(", ", "[", "]")) + " = " + total + " bytes";
    }

    private void release(Lease<R> lease) {
        Entry<R> toClose = null;
        synchronized (lock) {
            if (lease.released) {
                return;
            }
            lease.released = true;
            Entry<R> entry = lease.entry;
            entry.leases--;
            if (entry.leases == 0 && entry.retired) {
                toClose = entry;
            }
        }
        if (toClose != null) {
            closeQuietly(toClose);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the adapter store of " + catalogue + " is closed");
        }
    }

    private static AdapterException failure(String name, Throwable e) {
        if (e instanceof Error error) {
            throw error;
        }
        if (e instanceof AdapterException adapterException) {
            return adapterException;
        }
        return new AdapterException("adapter '" + name + "': could not be loaded (" + e + ")", e);
    }

    private boolean isInDirectory(String name) {
        return isPlainName(name) && Files.isRegularFile(catalogue.resolve(name).resolve(LoraAdapter.CONFIG_FILE));
    }

    private UnknownAdapterException unknown(String name) {
        List<String> names = catalogue();
        return new UnknownAdapterException(name, names.subList(0, Math.min(NAMES_LISTED, names.size())), names.size(),
                "the adapter catalogue " + catalogue);
    }

    private List<String> listDirectory() {
        try (Stream<Path> children = Files.list(catalogue)) {
            return children.filter(child -> isPlainName(child.getFileName().toString()))
                    .filter(child -> Files.isRegularFile(child.resolve(LoraAdapter.CONFIG_FILE)))
                    .map(child -> child.getFileName().toString())
                    .toList();
        } catch (IOException e) {
            throw new AdapterException("adapter catalogue " + catalogue + ": could not be listed (" + e + ")", e);
        }
    }

    /** A name that stays inside the catalogue: no separators, not hidden, not {@code .} or {@code ..}. */
    private static boolean isPlainName(String name) {
        return name != null && !name.isEmpty() && !name.startsWith(".") && name.indexOf('/') < 0
                && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }

    private void closeQuietly(Entry<R> entry) {
        closeValue(entry.name, entry.value);
    }

    private static void closeValue(String name, AutoCloseable value) {
        try {
            value.close();
        } catch (Exception e) {
            log.warn("Closing the resident form of adapter '{}' failed", name, e);
        }
    }
}
