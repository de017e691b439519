// Which modules of the base model an adapter adapts: PEFT's "target_modules" in its three forms.
package io.synod.adapters.lora;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * PEFT's {@code target_modules}, matched against module names such as
 * {@code model.layers.3.self_attn.q_proj} the way PEFT's {@code check_target_module_exists} does:
 * <ul>
 *   <li>{@link Names} (a JSON list): a module matches if its whole name is in the list, or it ends with
 *       {@code "." + name} for a name in the list ({@code "q_proj"}, {@code "self_attn.q_proj"}).
 *   <li>{@link Regex} (a JSON string): a module matches if the pattern matches its whole name
 *       ({@code re.fullmatch}). Patterns are compiled by {@code java.util.regex}; the constructs PEFT
 *       configs use (literals, {@code .}, {@code .*}, groups, alternation, classes, {@code \d}) mean the
 *       same there as in Python.
 *   <li>{@link AllLinear} (the string {@code "all-linear"}, any case): every linear module of the
 *       decoder except the output head. PEFT resolves it against the model when the adapter is created;
 *       here any module name whose last component is not {@code lm_head} matches, and validation against
 *       the base model's linear modules does the rest.
 * </ul>
 */
public sealed interface TargetModules permits TargetModules.Names, TargetModules.Regex, TargetModules.AllLinear {

    /** The string PEFT accepts for "every linear layer but the output head". */
    String ALL_LINEAR = "all-linear";

    /** Whether the module, by its full name, is a target. */
    boolean matches(String module);

    /** A list of module names, each matched as the whole name or its last component(s). */
    static Names names(String... names) {
        return new Names(List.of(names));
    }

    /** A regular expression matched against the whole module name. */
    static Regex regex(String pattern) {
        return new Regex(pattern);
    }

    /** Every linear module of the decoder except the output head. */
    static AllLinear allLinear() {
        return AllLinear.INSTANCE;
    }

    /** Names matched as the whole module name or as its trailing dot-separated components. */
    record Names(List<String> names) implements TargetModules {

        public Names {
            names = List.copyOf(names);
            for (String name : names) {
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("target module names must not be empty: " + names);
                }
            }
        }

        /** Whether the module's whole name is listed (PEFT then ignores {@code layers_to_transform}). */
        public boolean listsExactly(String module) {
            return names.contains(module);
        }

        @Override
        public boolean matches(String module) {
            if (names.contains(module)) {
                return true;
            }
            for (String name : names) {
                if (module.endsWith("." + name)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A pattern that must match the whole module name. */
    record Regex(String pattern) implements TargetModules {

        public Regex {
            Objects.requireNonNull(pattern, "pattern");
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("target_modules '" + pattern + "' is not a valid regular expression: "
                        + e.getDescription(), e);
            }
        }

        @Override
        public boolean matches(String module) {
            return Pattern.compile(pattern).matcher(module).matches();
        }
    }

    /** PEFT's {@code "all-linear"}. */
    enum AllLinear implements TargetModules {
        INSTANCE;

        /** The output head's module name in HuggingFace causal-LM models. */
        private static final String OUTPUT_HEAD = "lm_head";

        @Override
        public boolean matches(String module) {
            return !module.substring(module.lastIndexOf('.') + 1).equals(OUTPUT_HEAD);
        }

        @Override
        public String toString() {
            return ALL_LINEAR;
        }
    }
}
