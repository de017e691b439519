// The adapter store: loading on demand, LRU eviction within a byte budget, pins, leases, failures, concurrency.
package io.synod.adapters.store;

import static io.synod.adapters.lora.PeftFixtures.adapter;
import static io.synod.adapters.lora.PeftFixtures.config;
import static io.synod.adapters.lora.PeftFixtures.weights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.adapters.lora.AdapterException;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.PeftFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterStoreTest {

    private static final String Q0 = "model.layers.0.self_attn.q_proj";
    private static final String V0 = "model.layers.0.self_attn.v_proj";
    private static final String Q1 = "model.layers.1.self_attn.q_proj";
    private static final String V1 = "model.layers.1.self_attn.v_proj";

    /** q and v of both layers at rank 2: 2 x 56 floats. */
    private static final long ADAPTER_BYTES = 2 * 56 * 4;

    /** A resident form that records whether it was closed. */
    static final class Resident implements AutoCloseable {
        final String name;
        volatile boolean closed;

        Resident(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @TempDir
    Path catalogue;

    private final Map<String, List<Resident>> materialised = new ConcurrentHashMap<>();
    private AdapterStore<Resident> store;

    @BeforeEach
    void writeCatalogue() {
        for (String name : List.of("alpha", "beta", "gamma")) {
            adapter(catalogue.resolve(name), config(), weights().lora(Q0, 2).lora(V0, 2).lora(Q1, 2).lora(V1, 2));
        }
        adapter(catalogue.resolve("dora"), config("use_dora", "true"), weights().lora(Q0, 2));
        store = storeWithBudget(2 * ADAPTER_BYTES);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private AdapterStore<Resident> storeWithBudget(long budget) {
        return new AdapterStore<>(catalogue, budget, adapter -> adapter.validate(PeftFixtures.TINY_LLAMA, 8),
                adapter -> {
                    Resident resident = new Resident(adapter.name());
                    materialised.computeIfAbsent(adapter.name(), name -> new ArrayList<>()).add(resident);
                    return resident;
                });
    }

    private Resident only(String name) {
        assertThat(materialised.get(name)).hasSize(1);
        return materialised.get(name).get(0);
    }

    @Test
    void theCatalogueListsEverySubDirectoryWithAnAdapterConfig() {
        assertThat(store.catalogue()).containsExactly("alpha", "beta", "dora", "gamma");
    }

    @Test
    void acquiringLoadsOnceThenHits() {
        Resident first = store.acquire("alpha");
        Resident second = store.acquire("alpha");

        assertThat(second).isSameAs(first);
        assertThat(store.counters()).isEqualTo(new AdapterStore.Counters(1, 1, 0, 0));
        assertThat(store.residentBytes()).isEqualTo(ADAPTER_BYTES);
    }

    @Test
    void theLeastRecentlyUsedAdapterIsEvictedWhenTheBudgetIsFull() {
        store.load("alpha");
        store.load("beta");
        store.acquire("alpha");

        store.load("gamma");

        assertThat(store.resident()).containsExactly("alpha", "gamma");
        assertThat(only("beta").closed).isTrue();
        assertThat(only("alpha").closed).isFalse();
        assertThat(store.counters().evictions()).isEqualTo(1);
    }

    @Test
    void aPinnedAdapterIsNeverEvicted() {
        store.pin("alpha");
        store.load("beta");

        store.load("gamma");

        assertThat(store.resident()).containsExactlyInAnyOrder("alpha", "gamma");
        assertThat(only("alpha").closed).isFalse();
        assertThat(only("beta").closed).isTrue();
    }

    @Test
    void anUnpinnedAdapterCanBeEvictedAgain() {
        store.pin("alpha");
        store.load("beta");
        store.unpin("alpha");

        store.load("gamma");

        assertThat(store.resident()).containsExactly("beta", "gamma");
    }

    @Test
    void aLoadThatPinsMakeImpossibleFailsNamingThePins() {
        store.pin("alpha");
        store.pin("beta");

        assertThatThrownBy(() -> store.acquire("gamma"))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'gamma' needs " + ADAPTER_BYTES + " bytes")
                .hasMessageContaining("pinned [alpha (" + ADAPTER_BYTES + " bytes), beta (" + ADAPTER_BYTES + " bytes)]")
                .hasMessageContaining("unpin");
        assertThat(store.resident()).containsExactly("alpha", "beta");
        assertThat(store.counters().failures()).isEqualTo(1);
        assertThat(materialised).doesNotContainKey("gamma");
    }

    @Test
    void anAdapterLargerThanTheWholeBudgetFailsClearly() {
        try (AdapterStore<Resident> small = storeWithBudget(ADAPTER_BYTES - 1)) {
            assertThatThrownBy(() -> small.acquire("alpha"))
                    .isInstanceOf(AdapterException.class)
                    .hasMessageContaining("more than the whole budget of " + (ADAPTER_BYTES - 1) + " bytes");
        }
    }

    @Test
    void countersCountLoadsHitsEvictionsAndFailures() {
        store.acquire("alpha");
        store.acquire("alpha");
        store.acquire("beta");
        store.acquire("gamma");
        assertThatThrownBy(() -> store.acquire("dora")).isInstanceOf(AdapterException.class);

        assertThat(store.counters()).isEqualTo(new AdapterStore.Counters(3, 1, 1, 1));
    }

    @Test
    void unloadingClosesTheResidentForm() {
        store.acquire("alpha");

        boolean unloaded = store.unload("alpha");

        assertThat(unloaded).isTrue();
        assertThat(only("alpha").closed).isTrue();
        assertThat(store.resident()).isEmpty();
        assertThat(store.residentBytes()).isZero();
        assertThat(store.unload("alpha")).isFalse();
    }

    @Test
    void aBadAdapterFailsToLoadWhileTheOthersStayResidentAndUsable() {
        Resident alpha = store.acquire("alpha");
        store.acquire("beta");

        assertThatThrownBy(() -> store.acquire("dora"))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'dora'")
                .hasMessageContaining("use_dora");

        assertThat(store.resident()).containsExactly("alpha", "beta");
        assertThat(store.acquire("alpha")).isSameAs(alpha);
        assertThat(alpha.closed).isFalse();
        assertThat(store.counters()).isEqualTo(new AdapterStore.Counters(2, 1, 0, 1));
    }

    @Test
    void anAdapterTheValidatorRefusesIsNeverMaterialised() {
        adapter(catalogue.resolve("wide"), config("r", "16"), weights().lora(Q0, 16).lora(V0, 16).lora(Q1, 16)
                .lora(V1, 16));

        assertThatThrownBy(() -> store.acquire("wide"))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter 'wide'")
                .hasMessageContaining("over the maximum rank 8");
        assertThat(materialised).doesNotContainKey("wide");
        assertThat(store.counters().failures()).isEqualTo(1);
    }

    @Test
    void anUnknownNameFailsListingCatalogueNames() {
        assertThatThrownBy(() -> store.acquire("delta"))
                .isInstanceOf(UnknownAdapterException.class)
                .hasMessageContaining("no adapter named 'delta'")
                .hasMessageContaining("alpha, beta, dora, gamma");
        assertThat(store.counters().failures()).isZero();
    }

    @Test
    void aNameThatWouldLeaveTheCatalogueIsUnknown() {
        assertThatThrownBy(() -> store.acquire("../" + catalogue.getFileName() + "/alpha"))
                .isInstanceOf(UnknownAdapterException.class);
    }

    @Test
    void concurrentAcquiresOfOneAdapterLoadItOnce() throws Exception {
        int threads = 8;
        AtomicInteger reads = new AtomicInteger();
        try (AdapterStore<Resident> slow = new AdapterStore<>(catalogue, 2 * ADAPTER_BYTES, adapter -> {
            reads.incrementAndGet();
            sleep(50);
        }, adapter -> new Resident(adapter.name()))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Resident>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return slow.acquire("alpha");
                    }));
                }
                Resident first = results.get(0).get(10, TimeUnit.SECONDS);
                for (Future<Resident> result : results) {
                    assertThat(result.get(10, TimeUnit.SECONDS)).isSameAs(first);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(reads).hasValue(1);
            assertThat(slow.counters()).isEqualTo(new AdapterStore.Counters(1, threads - 1, 0, 0));
        }
    }

    @Test
    void aLeasedAdapterIsNotEvicted() {
        try (AdapterStore.Lease<Resident> lease = store.lease("alpha")) {
            store.load("beta");
            store.load("gamma");

            assertThat(store.resident()).containsExactly("alpha", "gamma");
            assertThat(lease.adapter().closed).isFalse();
        }
    }

    @Test
    void anUnloadedAdapterClosesWhenItsLastLeaseEnds() {
        AdapterStore.Lease<Resident> lease = store.lease("alpha");

        store.unload("alpha");
        assertThat(lease.adapter().closed).isFalse();
        lease.close();

        assertThat(only("alpha").closed).isTrue();
    }

    @Test
    void aRegisteredAdapterIsCataloguedAndResident() {
        LoraAdapter trained = LoraAdapter.read("alpha", catalogue.resolve("alpha"));

        store.register("trained", trained);

        assertThat(store.catalogue()).contains("trained");
        assertThat(store.resident()).containsExactly("trained");
        assertThat(only("trained").name).isEqualTo("trained");
        assertThat(store.acquire("trained")).isSameAs(only("trained"));
    }

    @Test
    void aRegisteredAdapterReloadsFromMemoryAfterEviction() {
        store.register("trained", LoraAdapter.read("alpha", catalogue.resolve("alpha")));
        store.load("alpha");
        store.load("beta");

        Resident again = store.acquire("trained");

        assertThat(materialised.get("trained")).hasSize(2);
        assertThat(again.closed).isFalse();
    }

    @Test
    void closingTheStoreClosesEveryResidentForm() {
        store.load("alpha");
        store.load("beta");

        store.close();

        assertThat(only("alpha").closed).isTrue();
        assertThat(only("beta").closed).isTrue();
        assertThatThrownBy(() -> store.acquire("alpha")).isInstanceOf(IllegalStateException.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
