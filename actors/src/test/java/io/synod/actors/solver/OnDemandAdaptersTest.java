// Adapters loaded on demand: from the catalogue, at most the limit kept, the least recently used unloaded first.
package io.synod.actors.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.synod.decomposer.reasoning.Answer;
import io.synod.solvers.reasoning.TraceEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnDemandAdaptersTest {

    @TempDir
    Path catalogue;

    private final List<String> resident = new ArrayList<>(List.of("decompose", "walk"));
    private final List<String> loads = new ArrayList<>();

    /** A model that only keeps the names of its adapters. */
    private final Solver solver = new Solver() {
        @Override
        public Answer solve(Job job, Consumer<TraceEvent> listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> adapters() {
            return List.copyOf(resident);
        }

        @Override
        public void loadAdapter(String name, Path directory) {
            assertThat(directory).isEqualTo(catalogue.resolve(name));
            loads.add(name);
            resident.add(name);
        }

        @Override
        public void unloadAdapter(String name) {
            assertThat(resident.remove(name)).isTrue();
        }

        @Override
        public long modelCalls() {
            return 0;
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void catalogueOfFour() throws IOException {
        for (String name : List.of("a", "b", "c", "d")) {
            Files.createDirectories(catalogue.resolve(name));
        }
    }

    @Test
    void beyondTheLimitTheLeastRecentlyUsedAdapterLoadedOnDemandIsUnloaded() {
        OnDemandAdapters onDemand = new OnDemandAdapters(() -> catalogue, 2);
        assertThat(onDemand.load(solver, List.of("a"), List.of("walk", "a"))).isEqualTo(1);
        assertThat(onDemand.load(solver, List.of("b"), List.of("walk", "b"))).isEqualTo(1);
        onDemand.used(List.of("walk", "a"));   // b is now the least recently used

        onDemand.load(solver, List.of("c"), List.of("walk", "c"));

        assertThat(resident).containsExactlyInAnyOrder("decompose", "walk", "a", "c");
        assertThat(loads).containsExactly("a", "b", "c");
    }

    @Test
    void theAdaptersTheJobNeedsAndThoseResidentFromTheStartAreNeverUnloaded() {
        OnDemandAdapters onDemand = new OnDemandAdapters(() -> catalogue, 1);
        onDemand.load(solver, List.of("a"), List.of("a"));

        onDemand.load(solver, List.of("b"), List.of("a", "b"));

        assertThat(resident).containsExactlyInAnyOrder("decompose", "walk", "a", "b");
    }

    @Test
    void anAdapterTheCatalogueLacksIsNamedAndNothingIsLoaded() {
        OnDemandAdapters onDemand = new OnDemandAdapters(() -> catalogue, 4);

        assertThatThrownBy(() -> onDemand.load(solver, List.of("a", "legal"), List.of("a", "legal")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the catalogue " + catalogue + " has no adapter 'legal'");
        assertThat(loads).isEmpty();
    }

    @Test
    void offLoadsNothing() {
        assertThat(OnDemandAdapters.off().enabled()).isFalse();
        assertThat(new OnDemandAdapters(() -> catalogue, 1).enabled()).isTrue();
    }
}
