// What adapter a LoRA training run makes: its name, rank, alpha, target modules, initialisation and scaling.
package io.synod.solvers.training.lora;

import io.synod.solvers.lora.Projection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The adapter a run trains. Immutable; checked when built, with messages that name the setting.
 *
 * @param name           the adapter's name (for {@code LoraAdapter.name()} and messages)
 * @param rank           r of every adapted module
 * @param alpha          lora_alpha: the update is scaled by {@code alpha / r}, or {@code alpha / sqrt(r)} with rsLoRA
 * @param targets        the projections adapted in every layer, HuggingFace names in the order given
 *                       ({@code q_proj}, {@code k_proj}, {@code v_proj}, {@code o_proj}, {@code gate_proj},
 *                       {@code up_proj}, {@code down_proj})
 * @param initialisation how A and B start (see {@link Initialisation})
 * @param rsLora         rank-stabilised scaling {@code alpha / sqrt(r)} (Kalajdzievski 2023)
 */
public record AdapterOptions(String name, int rank, double alpha, List<String> targets, Initialisation initialisation,
                             boolean rsLora) {

    /** How the factors start. */
    public enum Initialisation {
        /**
         * PEFT's default: A uniform in {@code [-1/sqrt(in), 1/sqrt(in)]} (what {@code kaiming_uniform_} with
         * {@code a = sqrt(5)} gives), B zero, so the adapted model starts as the base model.
         */
        STANDARD,
        /**
         * PiSSA (Meng, Wang and Zhang 2024, "Principal Singular Values and Singular Vectors Adaptation"): with
         * {@code W = U S V^T}, {@code B = U_r sqrt(S_r / s)} and {@code A = sqrt(S_r / s) V_r^T}, so that
         * {@code s B A} is the best rank-r part of W; the base trains against the residual {@code W - s B A}, so the
         * adapted model also starts as the base model. The saved adapter is converted to apply to the unchanged
         * base (rank 2r; see {@link AdapterTrainer}).
         */
        PISSA;

        /** The name on the command line and in files: {@code standard}, {@code pissa}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Every projection an adapter may target, in layer order. */
    public static final List<String> PROJECTIONS = List.of("q_proj", "k_proj", "v_proj", "o_proj",
            "gate_proj", "up_proj", "down_proj");

    /** The word for {@link #PROJECTIONS} on the command line and in PEFT's target_modules. */
    public static final String ALL_LINEAR = "all-linear";

    public AdapterOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(initialisation, "initialisation");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the adapter needs a name");
        }
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be at least 1, got " + rank);
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be a positive number, got " + alpha);
        }
        targets = expand(targets);
    }

    /** The targets as given, {@value #ALL_LINEAR} expanded, duplicates dropped; every one a known projection. */
    private static List<String> expand(List<String> targets) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no target modules; expected some of " + PROJECTIONS + " or " + ALL_LINEAR);
        }
        LinkedHashSet<String> expanded = new LinkedHashSet<>();
        for (String target : targets) {
            String trimmed = target.trim();
            if (trimmed.equalsIgnoreCase(ALL_LINEAR)) {
                expanded.addAll(PROJECTIONS);
            } else if (PROJECTIONS.contains(trimmed)) {
                expanded.add(trimmed);
            } else {
                throw new IllegalArgumentException("target module '" + target + "' is not a linear projection of a"
                        + " Llama-family layer; expected some of " + PROJECTIONS + " or " + ALL_LINEAR);
            }
        }
        return List.copyOf(new ArrayList<>(expanded));
    }

    /**
     * An adapter named {@code adapter} of rank 8, alpha 16, on {@code q_proj} and {@code v_proj}, standard
     * initialisation, scale {@code alpha / r} (PEFT's usual settings for a first adapter).
     */
    public static AdapterOptions defaults() {
        return new AdapterOptions("adapter", 8, 16, List.of("q_proj", "v_proj"), Initialisation.STANDARD, false);
    }

    /** s, the factor of every module's update {@code s (x A^T) B^T}. */
    public double scale() {
        return rsLora ? alpha / Math.sqrt(rank) : alpha / rank;
    }

    /** Whether the projection is adapted; {@code module} is a HuggingFace name such as {@code q_proj}. */
    public boolean targets(String module) {
        return targets.contains(module);
    }

    /** Whether any module of the runtime's fused projection is adapted. */
    boolean targets(Projection projection) {
        return projection.modules().stream().anyMatch(targets::contains);
    }

    public AdapterOptions withName(String value) {
        return new AdapterOptions(value, rank, alpha, targets, initialisation, rsLora);
    }

    public AdapterOptions withRank(int value) {
        return new AdapterOptions(name, value, alpha, targets, initialisation, rsLora);
    }

    public AdapterOptions withAlpha(double value) {
        return new AdapterOptions(name, rank, value, targets, initialisation, rsLora);
    }

    public AdapterOptions withTargets(List<String> value) {
        return new AdapterOptions(name, rank, alpha, value, initialisation, rsLora);
    }

    public AdapterOptions withInitialisation(Initialisation value) {
        return new AdapterOptions(name, rank, alpha, targets, value, rsLora);
    }

    public AdapterOptions withRsLora(boolean value) {
        return new AdapterOptions(name, rank, alpha, targets, initialisation, value);
    }
}
